/**
 * One Cloud Build step on this machine
 * (https://cloud.google.com/build/docs/build-config-file-schema#build_steps):
 * - the step's `entrypoint` runs with its `args` exactly (`bash -c SCRIPT NAME ARGS…`: the
 *   arguments after the script are $0, $1…), through bash so that record mode sees unknown
 *   programs; the image (`name`) is not used: steps run with this machine's tools;
 * - its working directory is /workspace, or `dir` under it (an absolute `dir` as is)
 *   (https://cloud.google.com/build/docs/build-config-file-schema#dir); the folder is created;
 * - its env: `options.env`, then the step's `env` (KEY=VALUE), then each `secretEnv` name with
 *   the secret's value (https://cloud.google.com/build/docs/securing-builds/use-secrets);
 * - `timeout` kills it (status TIMEOUT: a failure) (https://cloud.google.com/build/docs/build-config-file-schema#timeout);
 * - a failure fails the build unless `allowExitCodes` lists the exit status, or (without
 *   allowExitCodes) `allowFailure` is set: the step still has a failure status
 *   (https://cloud.google.com/build/docs/api/reference/rest/v1/projects.builds#BuildStep).
 * /workspace (shared by the build's steps) and /tmp (a step's own, in its container) are named
 * literally in compiled text: those path prefixes are rewritten to the build's folder and to a
 * folder of the step.
 */
import { mkdirSync, readFileSync, existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { shQuote } from "@pipeglot/core";
import type { Sandbox } from "../sandbox.js";
import type { CommandRecord } from "../trace.js";
import type { Step } from "./config.js";

export interface StepResult {
  exit: number;
  timedOut: boolean;
  /** The failure does not fail the build (allowFailure / allowExitCodes). */
  allowed: boolean;
  /** 1 + the retry loop's "attempt N of M failed" lines in the step's log. */
  attempts: number;
  commands: CommandRecord[];
  /**
   * The step's wrapper stopped it at a condition guard (pipeglot's own plumbing: the guard's
   * first stderr line is `pipeglot: <level> skipped: …` and it exits 0): the level whose
   * condition did not hold. The user's command never ran.
   */
  guard?: GuardLevel;
  /** The `pipeglot: artifact NAME matched no file` lines of pipeglot's upload step. */
  emptyArtifacts: string[];
}

type GuardLevel = "stage" | "job" | "step";

/** What record mode observes of a step: the watched variables, the placeholders its commands leave (relative to the workspace). */
export interface Observed {
  watch: string[];
  makes: string[];
}

interface StepContext {
  sandbox: Sandbox;
  workspace: string;
  /** The stand-in tools' folder, first on PATH. */
  bin: string;
  /** Secret values by the env name availableSecrets gives them. */
  secrets: Readonly<Record<string, string>>;
  /** `options.env` of the build. */
  buildEnv: readonly string[];
}

const prefix = (p: string) => new RegExp(`(?<![A-Za-z0-9_.\\-/])${p}(?=/|$|[^A-Za-z0-9_.\\-])`, "g");
const WORKSPACE = prefix("/workspace");
const TMP = prefix("/tmp");

/** Text with the /workspace and /tmp prefixes pointing at this machine's folders. */
export function localPaths(text: string, workspace: string, tmp: string): string {
  return text.replace(WORKSPACE, () => workspace).replace(TMP, () => tmp);
}

function envOf(entries: readonly string[], into: Record<string, string>): void {
  for (const e of entries) {
    const eq = e.indexOf("=");
    if (eq > 0) into[e.slice(0, eq)] = e.slice(eq + 1);
  }
}

const ATTEMPT_FAILED = /^pipeglot: attempt \d+ of \d+ failed/gm;
const GUARD = /^pipeglot: (stage|job|step) skipped: /;
const EMPTY_ARTIFACT = /^pipeglot: artifact (.+) matched no file$/gm;

/** What pipeglot's own wrapper lines on stderr say: the guard that stopped the step (first line, exit 0), the empty artifacts. */
function markers(stderr: string, exit: number): Pick<StepResult, "guard" | "emptyArtifacts"> {
  const g = exit === 0 ? GUARD.exec(stderr.split("\n", 1)[0]!) : null;
  return { ...(g ? { guard: g[1] as GuardLevel } : {}), emptyArtifacts: [...stderr.matchAll(EMPTY_ARTIFACT)].map((m) => m[1]!) };
}

/** Runs `step` (already substituted) and reports what Cloud Build would. */
export async function runStep(ctx: StepContext, step: Step, seen: Observed, limitSeconds: number | undefined): Promise<StepResult> {
  const { sandbox, workspace } = ctx;
  const tmp = sandbox.workspace(`tmp-${step.id ?? "step"}`, false);
  const local = (t: string) => localPaths(t, workspace, tmp);
  const env: Record<string, string> = {};
  envOf(ctx.buildEnv.map(local), env);
  envOf((step.env ?? []).map(local), env);
  for (const name of step.secretEnv ?? []) env[name] = ctx.secrets[name] ?? "";
  env.PATH = `${ctx.bin}:${sandbox.baseEnv().PATH}`;
  const dir = step.dir === undefined ? workspace : isAbsolute(local(step.dir)) ? local(step.dir) : join(workspace, local(step.dir));
  mkdirSync(dir, { recursive: true });
  const errors = join(tmp, ".pipeglot-stderr");
  if (step.entrypoint === undefined) {
    // The image's own entrypoint is not known on this machine: the step fails (the caller notes it).
    return { exit: 1, timedOut: false, allowed: allowedFailure(step, 1), attempts: 1, commands: [], emptyArtifacts: [] };
  }
  const argv = [step.entrypoint, ...(step.args ?? [])].map(local);
  const script = `${argv.map(shQuote).join(" ")} 2>>${shQuote(errors)}\n`;
  const log = sandbox.newLog();
  const r = await sandbox.bash(script, { cwd: dir, env, timeoutSeconds: limitSeconds, log, watch: seen.watch, makes: seen.makes, makesRoot: workspace });
  const text = existsSync(errors) ? readFileSync(errors, "utf8") : "";
  const attempts = 1 + (text.match(ATTEMPT_FAILED)?.length ?? 0);
  return {
    exit: r.exit,
    timedOut: r.timedOut,
    allowed: r.exit !== 0 && allowedFailure(step, r.exit),
    attempts,
    commands: sandbox.records(log, workspace),
    ...markers(text, r.exit),
  };
}

/** allowExitCodes takes precedence over allowFailure. */
function allowedFailure(step: Step, exit: number): boolean {
  if (step.allowExitCodes?.length) return step.allowExitCodes.includes(exit);
  return step.allowFailure === true;
}
