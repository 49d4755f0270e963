/**
 * `pipeglot run <file> --local`: run the pipeline on this machine with bash — the neutral
 * definition with the reference interpreter, and each cloud's COMPILED output under a model of
 * that cloud's runtime (@pipeglot/runtimes) — then compare each cloud's trace with the
 * reference. Without --local, `run <file|NAME> --target P` starts a run of the live pipeline on
 * that cloud (run-cloud.ts). Exit 0 when every run succeeded and every difference is named by a diagnostic of
 * that compile; 1 when a run failed or a difference is unexplained; 2 for usage.
 */
import type { Argv } from "yargs";
import { dirname, resolve } from "node:path";
import { existsSync, statSync } from "node:fs";
import { locateDiagnostics, type ProviderOutput } from "@pipeglot/core";
import { PROVIDER_IDS, type PipelineIR, type ProviderId, type SourceMap } from "@pipeglot/schema";
import type { Finding, ProgressEvent, Trace, TraceTarget } from "@pipeglot/runtimes";
import { CliError, EXIT, err, out, printJson } from "../io.js";
import type { Command } from "../main.js";
import { loadProvider } from "../registry.js";
import { loadIR } from "./shared.js";
import { runOnCloud, type CloudRunArgs } from "./run-cloud.js";
import { parseVars } from "./run-vars.js";

interface Args extends CloudRunArgs {
  local: boolean;
}

const RUN_TARGETS = ["neutral", ...PROVIDER_IDS] as const;

/** "neutral,aws" → both; "all" → neutral and the four clouds. */
function parseRunTargets(value: string): TraceTarget[] {
  const parts = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!parts.length) throw new Error(`no target given; choose from ${[...RUN_TARGETS, "all"].join(", ")}`);
  if (parts.includes("all")) return [...RUN_TARGETS];
  const bad = parts.filter((p) => !(RUN_TARGETS as readonly string[]).includes(p));
  if (bad.length) throw new Error(`unknown target ${bad.map((b) => JSON.stringify(b)).join(", ")}; choose from ${[...RUN_TARGETS, "all"].join(", ")}`);
  return [...new Set(parts)] as TraceTarget[];
}

function checkArgs(a: Args, ir: PipelineIR): void {
  const stages = new Set(ir.stages.map((s) => s.name));
  for (const r of a.reject) if (!stages.has(r)) throw new CliError(`--reject ${r}: no stage of that name (stages: ${[...stages].join(", ")})`);
  if (a.source !== undefined && !(existsSync(a.source) && statSync(a.source).isDirectory())) throw new CliError(`--source ${a.source}: not a folder`);
}

const progressLine = (target: TraceTarget) => (e: ProgressEvent) => {
  if (e.kind === "job-start") err(`${target}: ▸ ${e.name}`);
  else err(`${target}: ${e.kind === "job-end" ? "  " : "stage "}${e.name} ${e.status ?? ""}`.trimEnd());
};

function summary(t: Trace): string {
  const count = (s: string) => t.jobs.filter((j) => j.status === s).length;
  return `${t.target}: ${t.outcome} — ${t.jobs.length} jobs: ${count("succeeded")} succeeded, ${count("failed")} failed, ${count("skipped")} skipped`;
}

interface Outcome {
  traces: Trace[];
  findings: Partial<Record<ProviderId, Finding[]>>;
  refused: ProviderId[];
}

/** Runs each target in turn (their progress lines would interleave) and compares the clouds with the reference. */
async function runAll(targets: readonly TraceTarget[], ir: PipelineIR, sourceMap: SourceMap, a: Args): Promise<Outcome> {
  const rt = await import("@pipeglot/runtimes");
  const inputs = rt.defaultInputs(ir, { ...(a.branch ? { branch: a.branch } : {}), variables: parseVars(a.var, ir) });
  const base = { source: resolve(a.source ?? dirname(a.file)), record: a.record, reject: a.reject, inputs };
  const outputs: Partial<Record<ProviderId, ProviderOutput>> = {};
  for (const t of targets) {
    if (t === "neutral") continue;
    const o = (await loadProvider(t)).compile(ir);
    outputs[t] = { ...o, diagnostics: locateDiagnostics(o.diagnostics, sourceMap) };
  }
  return rt.differentialRun(ir, targets, outputs, (t) => ({ ...base, ...(a.format === "text" ? { onProgress: progressLine(t) } : {}) }));
}

async function printText({ traces, findings, refused }: Outcome): Promise<void> {
  const { renderFinding } = await import("@pipeglot/runtimes");
  for (const id of refused) out(`${id}: not run — its compile refused the definition (pipeglot compile --target ${id} says why)`);
  for (const t of traces) {
    out(summary(t));
    for (const n of t.notes) out(`  note: ${n}`);
  }
  for (const [target, list] of Object.entries(findings)) {
    const unexplained = list.filter((f) => !f.explainedBy).length;
    out(
      `${target} against the reference: ${list.length ? `${list.length} difference${list.length === 1 ? "" : "s"}, ${unexplained} not named by a diagnostic` : "the same"}`,
    );
    for (const f of list) out(`  ${renderFinding(f)}`);
  }
}

export const runCommand: Command<Args> = {
  command: "run <file>",
  describe:
    "Run a pipeline: --target P starts a run of the live pipeline on that cloud; --local runs it on this machine as the definition says and as each cloud would run its compiled output, and compares",
  builder: (y: Argv) =>
    y
      .positional("file", { type: "string", demandOption: true, describe: "pipeglot.yaml" })
      .option("local", { type: "boolean", default: false, describe: "Run on this machine with bash instead of on a cloud" })
      .option("target", {
        alias: "t",
        type: "string",
        describe: `Without --local: the cloud to start a run on (${PROVIDER_IDS.join(", ")}). With --local: ${[...RUN_TARGETS, "all"].join(", ")} (comma-separated; default neutral, the reference interpreter)`,
      })
      .option("endpoint", { type: "string", describe: "API endpoint override (e.g. an emulator)" })
      .option("profile", { type: "string", describe: "Credentials profile (OCI)" })
      .option("project", { type: "string", describe: "With a pipeline NAME instead of a file: the GCP project / Azure project / OCI DevOps project OCID" })
      .option("region", { type: "string", describe: "With a pipeline NAME instead of a file: the region" })
      .option("record", { type: "boolean", default: false, describe: "Record each command (with its environment) instead of running it" })
      .option("reject", { type: "string", array: true, default: [], describe: "Reject the approval of this stage (others are approved)" })
      .option("branch", { type: "string", describe: "The branch being built (default: the definition's source branch)" })
      .option("var", { type: "string", array: true, default: [], describe: "A variable's value for this run: NAME=VALUE" })
      .option("source", { type: "string", describe: "The repository folder each job starts from (default: the definition's folder)" })
      .check((a) => (a.local && a.target !== undefined ? (parseRunTargets(String(a.target)), true) : true))
      .example("$0 run pipeglot.yaml --target aws --var DEPLOY_REGION=eu-central-1", "Start a run of the live pipeline on AWS")
      .example("$0 run pipeglot.yaml --local", "Run the definition with the reference interpreter")
      .example("$0 run pipeglot.yaml --local --target all --record", "Record what each cloud would run, and compare with the reference")
      .epilog(
        "On a cloud: exit 0 once the run started (follow it with pipeglot status --watch). With --local: exit 0: every run succeeded and every difference from the reference is named by a diagnostic; 1: a run failed, a compile refused the definition, or a difference is unexplained; 2: usage.",
      ) as unknown as Argv<Args>,
  async handler(a) {
    if (!a.local) return runOnCloud(a);
    const { ir, sourceMap } = await loadIR(a.file, a.format);
    checkArgs(a, ir);
    const result = await runAll(parseRunTargets(a.target ?? "neutral"), ir, sourceMap, a);
    if (a.format === "json") printJson({ formatVersion: 1, pipeline: ir.name, traces: result.traces, findings: result.findings, refused: result.refused });
    else await printText(result);
    const failed =
      result.refused.length > 0 ||
      result.traces.some((t) => t.outcome !== "succeeded") ||
      Object.values(result.findings).some((l) => l.some((f) => !f.explainedBy));
    return failed ? EXIT.problems : EXIT.ok;
  },
};
