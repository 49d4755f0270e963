/**
 * Runs one build spec (BUILD stage) or command spec (SHELL stage) as the OCI runner does:
 * https://docs.oracle.com/iaas/Content/devops/using/build_specs.htm (and command_spec.htm for
 * the command spec, the same syntax without output artifacts):
 * - input artifacts are placed at their `location` before the first step;
 * - steps run in sequence with the spec's (or the step's) `shell`; a step fails when its command
 *   exits non-zero (`failImmediatelyOnError: true` stops a multi-line command at its first
 *   failing line, false — the default — runs every line and the last one's status counts);
 *   `onFailure` commands run after a failed step; the first failed step fails the stage and the
 *   later steps do not run;
 * - `timeoutInSeconds` bounds a step, and the spec's `timeoutInSeconds` the whole spec;
 * - the variables a step exports stay set for the later steps of the same spec (the runner keeps
 *   one environment per build: the documented exportedVariables are set by `export` in a step);
 * - output artifacts are taken from their `location` after the steps; a missing one fails the stage.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { JobIR, StepIR } from "@pipeglot/schema";
import { readHeader } from "@pipeglot/core";
import { observe } from "../model.js";
import type { Sandbox } from "../sandbox.js";
import { fileSet } from "../sandbox.js";
import type { FileSet, StepTrace } from "../trace.js";
import { expand, parseEnvDump } from "./env.js";
import type { Spec, SpecArtifact, SpecStep } from "./files.js";
import { isGenerated, stepMap } from "./units.js";

interface SpecRun {
  sandbox: Sandbox;
  spec: Spec;
  /** Where the steps run (the primary source folder, or the SHELL stage's workspace). */
  cwd: string;
  /** The folder the trace's files and command cwds are relative to. */
  observe: string;
  env: Record<string, string>;
  job: JobIR | undefined;
  /** The stage's own time limit (stageExecutionTimeoutInSeconds / timeoutInSeconds), if any. */
  stageTimeout?: number;
  /** Places an input artifact at `location`; false when it cannot be had. */
  fetchInput(a: SpecArtifact, location: string, env: Record<string, string>): boolean;
  notes: string[];
}

interface SpecResult {
  ok: boolean;
  steps: StepTrace[];
  files: FileSet;
  /** The environment after the last step (exported variables are read from it). */
  env: Record<string, string>;
  /** Output artifact name → the file at its location (build specs). */
  outputs: Map<string, string>;
}

interface StepOutcome {
  exit: number;
  env: Record<string, string>;
  /** What pipeglot's wrapper left set (wrapped commands only). */
  wrapper: WrapperState;
}

/**
 * A command pipeglot's OCI compile wrapped: its first line is core's `# pipeglot: {json}` header
 * naming the wrapper (conventions.ts WRAP_HEADER), or the marker line written before that format.
 */
const isWrapped = (command: string): boolean => command.startsWith("# pipeglot: generated wrapper") || typeof readHeader(command)?.wrapper === "string";

/**
 * The wrapper's own shell variables (the OCI compile's WRAPPER_VARS), written by the step's EXIT
 * trap: the attempts its retry loop made, the exit status its continueOnError branch tolerated,
 * whether its guard skipped the step. They are pipeglot's plumbing, printed in the step's log
 * too (the tolerated failure, the skip message), so the run can say what happened to the command.
 */
const WRAPPER_DUMP = `printf "%s\\n%s\\n%s\\n" "\${pg_try:-}" "\${pg_failed:-}" "\${pg_skipped:-}" > "$PG_OCI_WRAPPER_OUT"`;

interface WrapperState {
  tries?: number;
  failed?: number;
  skipped: boolean;
}

function readWrapper(file: string, wrapped: boolean): WrapperState {
  if (!wrapped || !existsSync(file)) return { skipped: false };
  const [tries, failed, skipped] = readFileSync(file, "utf8").split("\n");
  return { ...(tries ? { tries: Number(tries) } : {}), ...(failed ? { failed: Number(failed) } : {}), skipped: skipped === "1" };
}

async function runCommand(
  r: SpecRun,
  st: SpecStep,
  command: string,
  env: Record<string, string>,
  timeout: number | undefined,
  neutral: StepIR | undefined,
  log: string | undefined,
): Promise<StepOutcome> {
  const id = Math.random().toString(36).slice(2);
  const dump = join(r.sandbox.root, "tmp", `oci-env-${id}`);
  const wrapperOut = join(r.sandbox.root, "tmp", `oci-wrapper-${id}`);
  const failFast = st.failImmediatelyOnError ?? r.spec.failImmediatelyOnError ?? false;
  const script = [`trap 'pg_oci_rc=$?; env -0 > "$PG_OCI_ENV_OUT"; ${WRAPPER_DUMP}; exit $pg_oci_rc' EXIT`, failFast ? "set -e" : "", command].join("\n");
  const shell = st.shell ?? r.spec.shell ?? "bash";
  if (shell !== "bash" && shell !== "/bin/bash") r.notes.push(`shell ${shell} runs as bash here`);
  const seen = observe(r.job, neutral);
  const res = await r.sandbox.bash(script, {
    cwd: r.cwd,
    env: { ...env, PG_OCI_ENV_OUT: dump, PG_OCI_WRAPPER_OUT: wrapperOut },
    ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
    ...(log ? { log } : {}),
    watch: seen.watch,
    // Record mode: a recorded command of a user step leaves its job's artifact placeholders.
    ...(neutral ? { makes: seen.makes, makesRoot: r.observe } : {}),
  });
  const next = !res.timedOut && existsSync(dump) ? parseEnvDump(readFileSync(dump, "utf8")) : env;
  return { exit: res.exit, env: next, wrapper: readWrapper(wrapperOut, !res.timedOut && isWrapped(command)) };
}

/**
 * A user step's trace: the command's exit status, corrected by what pipeglot's wrapper says —
 * a guard that skipped it (skipped), a failure continueOnError tolerated (failed with that exit
 * status, though the OCI step succeeded), the attempts its retry loop made.
 */
function stepTrace(id: string, out: StepOutcome, commands: StepTrace["commands"]): StepTrace {
  const w = out.wrapper;
  if (out.exit === 0 && w.skipped) return { id, status: "skipped", exit: 0, attempts: 0, commands: [] };
  const exit = out.exit === 0 && w.failed !== undefined ? w.failed : out.exit;
  return { id, status: exit === 0 ? "succeeded" : "failed", exit, attempts: w.tries ?? 1, commands };
}

function remaining(start: number, limit: number | undefined): number | undefined {
  return limit === undefined ? undefined : Math.max(1, limit - Math.floor((Date.now() - start) / 1000));
}

function minDefined(...xs: (number | undefined)[]): number | undefined {
  const d = xs.filter((x): x is number => x !== undefined);
  return d.length ? Math.min(...d) : undefined;
}

function placeInputs(r: SpecRun, env: Record<string, string>): boolean {
  for (const a of r.spec.inputArtifacts ?? []) {
    const location = expand(a.location, env);
    mkdirSync(join(location, ".."), { recursive: true });
    if (!r.fetchInput(a, location, env)) {
      r.notes.push(`input artifact ${a.name} could not be had: the stage fails before its first step`);
      return false;
    }
  }
  return true;
}

function takeOutputs(r: SpecRun, env: Record<string, string>): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (const a of r.spec.outputArtifacts ?? []) {
    const location = expand(a.location, env);
    const file = location.startsWith("/") ? location : join(r.cwd, location);
    if (!existsSync(file)) {
      r.notes.push(`output artifact ${a.name} is missing at its location: the stage fails`);
      return undefined;
    }
    out.set(a.name, file);
  }
  return out;
}

export async function runSpec(r: SpecRun): Promise<SpecResult> {
  const start = Date.now();
  const specLimit = minDefined(r.spec.timeoutInSeconds, r.stageTimeout);
  const steps = r.spec.steps ?? [];
  const map = stepMap(r.spec, r.job);
  const traces = new Map<number, StepTrace>();
  let env = { ...r.env };
  let ok = placeInputs(r, env);
  let files: FileSet | undefined;
  for (let i = 0; i < steps.length; i++) {
    const st = steps[i]!;
    const neutral = map.get(i);
    if (!ok) continue;
    if (files === undefined && !isGenerated(st)) files = fileSet(r.observe);
    const log = r.sandbox.record ? r.sandbox.newLog() : undefined;
    const limit = minDefined(st.timeoutInSeconds, remaining(start, specLimit));
    const out = await runCommand(r, st, st.command ?? "", env, limit, neutral, log);
    env = out.env;
    if (out.exit !== 0) {
      ok = false;
      for (const f of st.onFailure ?? []) await runCommand(r, f, f.command ?? "", env, f.timeoutInSeconds, neutral, undefined);
    }
    if (neutral) traces.set(i, stepTrace(neutral.id, out, r.sandbox.records(log, r.observe)));
  }
  const outputs = ok ? takeOutputs(r, env) : undefined;
  const stepTraces = neutralSteps(r, map, traces);
  return { ok: ok && outputs !== undefined, steps: stepTraces, files: files ?? fileSet(r.observe), env, outputs: outputs ?? new Map() };
}

/** The neutral job's steps in order: the ones that ran, the rest skipped. */
function neutralSteps(r: SpecRun, map: Map<number, StepIR>, traces: Map<number, StepTrace>): StepTrace[] {
  const byId = new Map([...traces.values()].map((t) => [t.id, t]));
  const mapped = new Set([...map.values()].map((s) => s.id));
  return (r.job?.steps ?? []).map((s) => {
    if (!mapped.has(s.id)) r.notes.push(`step ${s.id} of job ${r.job?.id ?? "?"} has no step in the compiled spec`);
    return byId.get(s.id) ?? { id: s.id, status: "skipped", exit: 0, attempts: 0, commands: [] };
  });
}
