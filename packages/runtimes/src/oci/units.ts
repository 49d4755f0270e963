/**
 * Maps OCI stages back to the neutral definition through what the compile wrote: the freeform
 * tags `pipeglot-stage`, `pipeglot-job`, `pipeglot-stage-index` (and the display name
 * `stage.job` when the tags are missing), the matrix cell from the spec's `PG_MATRIX_<key>`
 * variables, and each spec step to the neutral step by its name and order (`pipeglot-*` steps
 * are pipeglot's own: artifact packing, unpacking, exports).
 */
import type { JobIR, PipelineIR, StepIR } from "@pipeglot/schema";
import { neutralJob } from "../model.js";
import { jobKey } from "../trace.js";
import type { PipelineStage, Spec, SpecStep } from "./files.js";

export const MATRIX_PREFIX = "PG_MATRIX_";
export const GENERATED_STEP = "pipeglot-";

export interface UnitRef {
  stage: string;
  job: string;
  stageIndex: number;
  key: string;
  neutral: JobIR | undefined;
}

export function unitOf(ir: PipelineIR, s: PipelineStage, spec: Spec | undefined): UnitRef | undefined {
  const t = s.freeformTags;
  let stage = t["pipeglot-stage"];
  let job = t["pipeglot-job"];
  if ((!stage || !job) && s.displayName.includes("."))
    [stage, job] = [s.displayName.slice(0, s.displayName.indexOf(".")), s.displayName.slice(s.displayName.indexOf(".") + 1)];
  if (!stage || !job) return undefined;
  const cell: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec?.env?.variables ?? {})) if (k.startsWith(MATRIX_PREFIX)) cell[k.slice(MATRIX_PREFIX.length)] = String(v);
  return { stage, job, stageIndex: Number(t["pipeglot-stage-index"] ?? 0), key: jobKey(stage, job, cell), neutral: neutralJob(ir, stage, job) };
}

/** A gate stage (MANUAL_APPROVAL) → its neutral stage and kind. */
export function gateOf(s: PipelineStage): { stage: string; kind: string; stageIndex: number } | undefined {
  const stage = s.freeformTags["pipeglot-stage"];
  if (!stage) return undefined;
  return { stage, kind: s.freeformTags["pipeglot-gate"] ?? "approval", stageIndex: Number(s.freeformTags["pipeglot-stage-index"] ?? 0) };
}

export const isGenerated = (st: SpecStep): boolean => (st.name ?? "").startsWith(GENERATED_STEP);

/** Spec step index → neutral step: the non-generated steps in order are the neutral steps in order. */
export function stepMap(spec: Spec, job: JobIR | undefined): Map<number, StepIR> {
  const out = new Map<number, StepIR>();
  const neutral = job?.steps ?? [];
  let n = 0;
  (spec.steps ?? []).forEach((st, i) => {
    if (isGenerated(st)) return;
    const step = neutral[n++];
    if (step) out.set(i, step);
  });
  return out;
}
