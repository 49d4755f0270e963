/**
 * Conditions come back from pipeglot's wrapper header: the step's own, and its job's and stage's
 * (compile writes them as a shell guard on every step of the job or stage). A foreign build has
 * no conditions (Cloud Build runs every step after its waitFor).
 */
import type { JobIR, StageIR, StepIR } from "@pipeglot/schema";
import type { WrapperSpec } from "../wrapper.js";
import type { ImportedStep } from "./steps.js";

/** The header's step condition on the step; its job and stage conditions kept for the caller. */
export function headerConditions(header: WrapperSpec, step: StepIR, out: Pick<ImportedStep, "jobCondition" | "stageCondition">): void {
  if (header.when?.step) step.condition = header.when.step;
  if (header.when?.job) out.jobCondition = header.when.job;
  if (header.when?.stage) out.stageCondition = header.when.stage;
}

/** A step's job and stage conditions on its job and stage. */
export function liftConditions(im: Pick<ImportedStep, "jobCondition" | "stageCondition">, job: JobIR, stage: StageIR): void {
  if (im.jobCondition) job.condition = im.jobCondition;
  if (im.stageCondition) stage.condition = im.stageCondition;
}
