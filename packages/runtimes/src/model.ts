/**
 * A runtime model: runs one cloud's COMPILED output on this machine as that cloud's runtime
 * would (each rule cited from the vendor's documentation in the model's module), and records the
 * trace. Models read the compiled files for what runs and how; they read the definition only for
 * the run's inputs and for what to observe (watchFor).
 */
import type { ProviderOutput } from "@pipeglot/core";
import type { JobIR, PipelineIR, ProviderId, StepIR } from "@pipeglot/schema";
import type { LocalRunOptions } from "./options.js";
import type { Sandbox } from "./sandbox.js";
import type { Trace } from "./trace.js";
import { placeholderPaths } from "./recorder.js";

export interface RuntimeModel {
  readonly target: ProviderId;
  /** The vendor pages its rules come from. */
  readonly sources: readonly string[];
  run(output: ProviderOutput, ir: PipelineIR, opts: LocalRunOptions, sandbox: Sandbox): Promise<Trace>;
}

/** The neutral job and step a compiled unit maps back to, by stage/job name and step id. */
export function neutralJob(ir: PipelineIR, stage: string, job: string): JobIR | undefined {
  return ir.stages.find((s) => s.name === stage)?.jobs.find((j) => j.name === job);
}

/** The variables the recorder reports for a step: the names its job and it declare in `env`. */
export function watchFor(job: JobIR | undefined, step?: StepIR): string[] {
  return [...new Set([...Object.keys(job?.env ?? {}), ...Object.keys(step?.env ?? {})])].sort();
}

/**
 * What a step's bash run observes and (record mode) leaves behind: the watched variables, and a
 * placeholder file for each path of the artifacts its job produces. Pass it to Sandbox.bash.
 */
export function observe(job: JobIR | undefined, step?: StepIR): { watch: string[]; makes: string[] } {
  return { watch: watchFor(job, step), makes: placeholderPaths((job?.produces ?? []).flatMap((a) => a.paths)) };
}

/** The steps' working folders that hold no reference (record mode makes them in the snapshot). */
export function workingFolders(ir: PipelineIR): string[] {
  const all = ir.stages.flatMap((s) =>
    s.jobs.flatMap((j) => j.steps.flatMap((st) => (st.workingDirectory && !st.workingDirectory.includes("${{") ? [st.workingDirectory] : []))),
  );
  return [...new Set(all)].sort();
}

/** Every command text of the definition (record mode stubs the relative commands they name). */
export function commandTexts(ir: PipelineIR): string[] {
  return ir.stages.flatMap((s) => s.jobs.flatMap((j) => j.steps.flatMap((st) => (st.run ? [st.run] : []))));
}
