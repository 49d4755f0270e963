/**
 * The trace of a chain of builds, in the definition's names. A job whose steps never started is
 * skipped; a step that did not start is skipped; a step's status is its exit status (a failure
 * allowed by allowFailure/allowExitCodes is still "failed", and does not fail its job); a job
 * that started but whose later steps never started (the build stopped) failed.
 * pipeglot's own plumbing, read from the markers its compile emits: a step its wrapper's
 * condition guard stopped is skipped, a job all of whose steps a job or stage guard stopped is
 * skipped; a job whose artifact pipeglot's upload step found empty failed.
 */
import type { PipelineIR } from "@pipeglot/schema";
import type { LocalRunOptions } from "../options.js";
import type { Sandbox } from "../sandbox.js";
import { finishTrace, type JobTrace, type StageStatus, type StageTrace, type StepTrace, type Trace } from "../trace.js";
import { Unpacked, uploadedArtifact } from "./artifacts.js";
import type { Chain, RanBuild } from "./chain.js";
import { stepIdOf, unitOf, UPLOAD_ID, type JobUnit } from "./map.js";
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
  // A step its wrapper's guard stopped (the marker its compile emits) is skipped: the user's command never ran.
  if (!r || r.guard) return { id, status: "skipped", exit: 0, attempts: 0, commands: [] };
  return { id, status: r.exit === 0 ? "succeeded" : "failed", exit: r.exit, attempts: r.attempts, commands: r.commands };
}

/** A job's trace, and the level of the guard that stopped every one of its steps (a job or stage condition). */
interface JobOutcome {
  trace: JobTrace;
  guard?: "stage" | "job";
}

/** The level of the guard that stopped every step of the job (the first step's guard, when all its steps were stopped at a job or stage guard). */
function jobGuard(own: [string, Ran][]): "stage" | "job" | undefined {
  const levels = own.map(([, r]) => r.result.guard);
  if (!levels.length || levels.some((l) => l !== "stage" && l !== "job")) return undefined;
  return levels.includes("stage") ? "stage" : "job";
}

/**
 * The artifacts of the job pipeglot's upload step of its build said matched no file
 * (`pipeglot: artifact NAME matched no file`): that step saves this job's artifacts, so its
 * failure for them is the job's.
 */
function emptyArtifactsOf(u: JobUnit, build: RanBuild): string[] {
  const names: string[] = [];
  for (const [id, r] of build.outcome.results)
    if (id === UPLOAD_ID && r.exit !== 0) names.push(...r.emptyArtifacts.filter((n) => u.job.produces.some((a) => a.name === n)));
  return names;
}

function jobTrace(u: JobUnit, ran: Map<string, Ran>, chain: Chain, unpacked: Unpacked): JobOutcome {
  const own = [...ran.entries()].filter(([id]) => unitOf([u], id) !== undefined);
  const guard = jobGuard(own);
  if (!own.length || guard) return { trace: { key: u.key, status: "skipped", files: {}, steps: [], artifacts: {} }, ...(guard ? { guard } : {}) };
  const results = u.job.steps.map((s) => ran.get(stepIdOf(u, s.id))?.result);
  const steps = u.job.steps.map((s, i) => stepTrace(s.id, results[i]));
  const unfinished = results.some((r) => r === undefined);
  if (unfinished) chain.notes.push(`gcp: job ${u.key} did not finish: the build stopped before some of its steps`);
  const empty = emptyArtifactsOf(u, own[0]![1].build);
  for (const a of empty) chain.notes.push(`gcp: job ${u.key} failed: its artifact ${a} matched no file, so pipeglot's upload step (${UPLOAD_ID}) failed`);
  const failed = unfinished || empty.length > 0 || own.some(([, r]) => r.result.exit !== 0 && !r.result.allowed);
  const artifacts: Record<string, Record<string, string>> = {};
  if (!failed) {
    const folders = unpacked.uploadsOf(own[0]![1].build);
    for (const a of u.job.produces) {
      const files = chain.crossing.has(a.name) ? uploadedArtifact(a, folders) : undefined;
      if (files) artifacts[a.name] = files;
      else if (chain.crossing.has(a.name)) chain.notes.push(`gcp: artifact ${a.name} of ${u.key} is not kept: its build uploaded no tarball`);
      else
        chain.notes.push(
          `gcp: artifact ${a.name} of ${u.key} is not kept: only artifacts a later build consumes are uploaded, the others stay in the build's /workspace`,
        );
    }
  }
  return { trace: { key: u.key, status: failed ? "failed" : "succeeded", files: chain.files.get(u.key) ?? {}, steps, artifacts } };
}

/**
 * A stage is skipped when none of its jobs started, or when their wrappers' stage guards
 * stopped them all; a stage whose jobs were all stopped by their own (job) guards ran, and succeeded.
 */
function stageStatus(name: string, jobs: readonly JobOutcome[], chain: Chain): StageStatus {
  if (chain.rejected.has(name)) return "rejected";
  if (chain.held.has(name)) return "held";
  if (jobs.some((j) => j.trace.status === "failed")) return "failed";
  const allSkipped = jobs.length > 0 && jobs.every((j) => j.trace.status === "skipped");
  return allSkipped && !jobs.some((j) => j.guard === "job") ? "skipped" : "succeeded";
}

/** The run's trace. */
export function assemble(ir: PipelineIR, opts: LocalRunOptions, sandbox: Sandbox, chain: Chain): Trace {
  const ran = stepsRan(chain);
  const unpacked = new Unpacked(sandbox, chain.tools.gcs);
  const outcomes = chain.units.map((u) => jobTrace(u, ran, chain, unpacked));
  const jobs = outcomes.map((o) => o.trace);
  for (const j of jobs) opts.onProgress?.({ kind: "job-end", name: j.key, status: j.status });
  const stages: StageTrace[] = ir.stages.map((s) => {
    const status = stageStatus(
      s.name,
      outcomes.filter((j, i) => chain.units[i]!.stage === s),
      chain,
    );
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
