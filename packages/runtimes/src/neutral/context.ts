/** What the steps of one job (one matrix cell) share while it runs. */
import type { JobIR, PipelineIR } from "@pipeglot/schema";
import type { LocalRunOptions } from "../options.js";
import type { Sandbox } from "../sandbox.js";
import type { RefValues } from "./expand.js";

export interface RunContext {
  ir: PipelineIR;
  opts: LocalRunOptions;
  sandbox: Sandbox;
  /** What the runner could not reproduce or had to decide (the trace's notes). */
  notes: string[];
}

export interface JobContext extends RunContext {
  stage: string;
  job: JobIR;
  /** The job key (trace.ts jobKey). */
  key: string;
  values: RefValues;
  workspace: string;
  /** When the job's timeout ends (ms since the epoch), if it has one. */
  deadline?: number;
}

/** Seconds left before the job's deadline (undefined without one; 0 when it has passed). */
export function secondsLeft(ctx: JobContext): number | undefined {
  if (ctx.deadline === undefined) return undefined;
  return Math.max(0, (ctx.deadline - Date.now()) / 1000);
}
