/**
 * From what the compile wrote back to the definition's names: step ids `<stage>__<job>__<step>`
 * (a matrix cell's job is `<job>-<values joined by ->`; pipeglot's own steps are `pipeglot__…`),
 * and the stage a gated trigger's build opens.
 */
import { expandMatrix } from "@pipeglot/core";
import type { JobIR, PipelineIR, StageIR } from "@pipeglot/schema";
import { jobKey } from "../trace.js";
import type { Build, Trigger } from "./config.js";

export interface JobUnit {
  stage: StageIR;
  job: JobIR;
  cell?: Record<string, string>;
  key: string;
  /** The job's name in step ids. */
  compiled: string;
}

/** Every job of the definition (one per matrix cell), in stage and job order. */
export function jobUnits(ir: PipelineIR): JobUnit[] {
  return ir.stages.flatMap((stage) =>
    stage.jobs.flatMap((job) => {
      const cells = expandMatrix(job);
      if (!cells.length) return [{ stage, job, key: jobKey(stage.name, job.name), compiled: job.name }];
      return cells.map((c) => ({ stage, job, cell: c.values, key: jobKey(stage.name, job.name, c.values), compiled: `${job.name}-${c.suffix}` }));
    }),
  );
}

/** pipeglot's step that uploads the artifacts a later build consumes. */
export const UPLOAD_ID = "pipeglot__upload-artifacts";

/** The stage and job names a step id holds (undefined for pipeglot's own steps and other ids). */
function splitId(id: string): { stage: string; job: string; step: string } | undefined {
  if (id.startsWith("pipeglot__")) return undefined;
  const p = id.split("__");
  return p.length === 3 && p.every(Boolean) ? { stage: p[0]!, job: p[1]!, step: p[2]! } : undefined;
}

export const stepIdOf = (u: JobUnit, step: string): string => `${u.stage.name}__${u.compiled}__${step}`;

/** The unit a step id belongs to. */
export function unitOf(units: readonly JobUnit[], id: string): JobUnit | undefined {
  const p = splitId(id);
  return p ? units.find((u) => u.stage.name === p.stage && u.compiled === p.job) : undefined;
}

/** The stages a build's steps belong to, in the definition's order. */
export function stagesOf(ir: PipelineIR, build: Build): string[] {
  const names = new Set(build.steps.map((s) => (s.id ? splitId(s.id)?.stage : undefined)).filter((n): n is string => n !== undefined));
  return ir.stages.map((s) => s.name).filter((n) => names.has(n));
}

/**
 * The stage a gated trigger opens: the stage of its build the trigger is named after
 * (`<pipeline>-<stage>`), else its first stage with an approval or a disabled transition,
 * else its first stage.
 */
export function gateStage(ir: PipelineIR, trigger: Trigger, build: Build): string | undefined {
  const stages = stagesOf(ir, build);
  const norm = (n: string) =>
    n
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");
  const named = stages.find((s) => norm(`${ir.name}-${s}`) === norm(trigger.name));
  const gated = stages.find((s) => {
    const st = ir.stages.find((x) => x.name === s);
    return st?.approval !== undefined || st?.transition.enabled === false;
  });
  return named ?? gated ?? stages[0];
}
