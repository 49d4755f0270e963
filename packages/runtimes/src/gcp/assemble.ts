/**
 * The trace of a chain of builds, in the definition's names. A job whose steps never started is
 * skipped; a step that did not start is skipped; a step's status is its exit status (a failure
 * allowed by allowFailure/allowExitCodes is still "failed", and does not fail its job); a job
 * that started but whose later steps never started (the build stopped) failed.
 */
import type { PipelineIR } from "@pipeglot/schema";
import type { LocalRunOptions } from "../options.js";
import type { Sandbox } from "../sandbox.js";
import { finishTrace, type JobTrace, type StageStatus, type StageTrace, type StepTrace, type Trace } from "../trace.js";
import { Unpacked, uploadedArtifact } from "./artifacts.js";
import type { Chain, RanBuild } from "./chain.js";
import { stepIdOf, unitOf, type JobUnit } from "./map.js";
import type { StepResult } from "./step-run.js";

const IMAGES_NOTE = "container images are not used: steps run on this machine with bash";

interface Ran {
  result: StepResult;
  build: RanBuild;
}

function stepsRan(chain: Chain): Map<string, Ran> {
  const out = new Map<string, Ran>();
  for (const b of chain.builds) for (const [id, result] of b.outcome.results) if (!out.has(id)) out.set(id, { result, build: b });
  return out;
}

function stepTrace(id: string, r: StepResult | undefined): StepTrace {
  if (!r) return { id, status: "skipped", exit: 0, attempts: 0, commands: [] };
  return { id, status: r.exit === 0 ? "succeeded" : "failed", exit: r.exit, attempts: r.attempts, commands: r.commands };
}

function jobTrace(u: JobUnit, ran: Map<string, Ran>, chain: Chain, unpacked: Unpacked): JobTrace {
  const own = [...ran.entries()].filter(([id]) => unitOf([u], id) !== undefined);
  if (!own.length) return { key: u.key, status: "skipped", files: {}, steps: [], artifacts: {} };
  const steps = u.job.steps.map((s) => stepTrace(s.id, ran.get(stepIdOf(u, s.id))?.result));
  const unfinished = steps.some((s) => s.attempts === 0);
  if (unfinished) chain.notes.push(`gcp: job ${u.key} did not finish: the build stopped before some of its steps`);
  const failed = unfinished || own.some(([, r]) => r.result.exit !== 0 && !r.result.allowed);
  const artifacts: Record<string, Record<string, string>> = {};
  if (!failed) {
    const folders = unpacked.uploadsOf(own[0]![1].build);
    for (const a of u.job.produces) {
      const files = chain.crossing.has(a.name) ? uploadedArtifact(a, folders) : undefined;
      if (files) artifacts[a.name] = files;
      else if (chain.crossing.has(a.name)) chain.notes.push(`gcp: artifact ${a.name} of ${u.key} is not kept: its build uploaded no tarball`);
      else chain.notes.push(`gcp: artifact ${a.name} of ${u.key} is not kept: only artifacts a later build consumes are uploaded, the others stay in the build's /workspace`);
    }
  }
  return { key: u.key, status: failed ? "failed" : "succeeded", files: chain.files.get(u.key) ?? {}, steps, artifacts };
}

function stageStatus(name: string, jobs: readonly JobTrace[], chain: Chain): StageStatus {
  if (chain.rejected.has(name)) return "rejected";
  if (chain.held.has(name)) return "held";
  if (jobs.some((j) => j.status === "failed")) return "failed";
  return jobs.length && jobs.every((j) => j.status === "skipped") ? "skipped" : "succeeded";
}

/** The run's trace. */
export function assemble(ir: PipelineIR, opts: LocalRunOptions, sandbox: Sandbox, chain: Chain): Trace {
  const ran = stepsRan(chain);
  const unpacked = new Unpacked(sandbox, chain.tools.gcs);
  const jobs = chain.units.map((u) => jobTrace(u, ran, chain, unpacked));
  for (const j of jobs) opts.onProgress?.({ kind: "job-end", name: j.key, status: j.status });
  const stages: StageTrace[] = ir.stages.map((s) => {
    const status = stageStatus(s.name, jobs.filter((j, i) => chain.units[i]!.stage === s), chain);
    opts.onProgress?.({ kind: "stage-end", name: s.name, status });
    return { name: s.name, status };
  });
  const notes = [...chain.notes];
  if (chain.builds.some((b) => b.build.steps.some((s) => s.name !== undefined))) notes.push(IMAGES_NOTE);
  for (const b of chain.builds) {
    if (b.outcome.status !== "failed") continue;
    const why = [...b.outcome.results].filter(([, r]) => r.exit !== 0 && !r.allowed).map(([id, r]) => `step ${id} exit ${r.exit}`);
    notes.push(`gcp: build ${b.start.buildId} (${b.start.trigger?.name ?? "submitted"}) failed${why.length ? `: ${why.join(", ")}` : ""}`);
  }
  for (const s of chain.rejected) notes.push(`gcp: the build of stage ${s} was rejected`);
  const failed = chain.builds.some((b) => b.outcome.status === "failed") || chain.rejected.size > 0 || jobs.some((j) => j.status === "failed");
  return finishTrace({ target: "gcp", pipeline: ir.name, outcome: failed ? "failed" : "succeeded", stages, jobs, notes });
}
