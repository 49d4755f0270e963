/**
 * Compiled units back to neutral ones, through what pipeglot's Azure compile wrote: stage and job
 * ids (with `displayName` holding the neutral name when the id had to be sanitized), step `name` /
 * `displayName`, matrix entry variables (the neutral matrix values, plus `pipeglot_image`), and the
 * steps it adds itself (checkout/download for deployment jobs, "Download X" before and
 * "Collect X"/"Publish X" after the job's own steps). Unnamed neutral steps are matched in order.
 */
import type { JobIR, StepIR } from "@pipeglot/schema";
import type { AzJob, Step } from "./load.js";

const MATRIX_IMAGE_VAR = "pipeglot_image";

/** A step the compile added around the neutral ones. */
export function generated(step: Step): boolean {
  if (step.checkout !== undefined || step.download !== undefined || step.publish !== undefined) return true;
  const task = typeof step.task === "string" ? step.task.split("@")[0]!.toLowerCase() : "";
  const label = typeof step.displayName === "string" ? step.displayName : "";
  if (task === "copyfiles" && label.startsWith("Collect ")) return true;
  if (task === "downloadpipelineartifact" && label.startsWith("Download ")) return true;
  return task === "manualvalidation";
}

/**
 * The neutral artifact a compiled publish step saves, by the "Publish X" label the compile gives
 * it (a matrix entry publishes X-<entry>: Azure takes an artifact name once per run); undefined
 * for a publish the compile did not write.
 */
export function neutralArtifact(step: Step): string | undefined {
  const label = typeof step.displayName === "string" ? /^Publish (.+)$/.exec(step.displayName) : null;
  return label?.[1];
}

/** For each compiled step, the neutral step it runs (undefined for the compile's own steps). */
export function mapSteps(steps: readonly Step[], neutral: readonly StepIR[]): (StepIR | undefined)[] {
  const out: (StepIR | undefined)[] = steps.map(() => undefined);
  const taken = new Set<StepIR>();
  steps.forEach((s, i) => {
    if (generated(s)) return;
    const label = typeof s.displayName === "string" ? s.displayName : undefined;
    const name = typeof s.name === "string" ? s.name : undefined;
    const hit = neutral.find((n) => !taken.has(n) && n.name !== undefined && (n.name === label || n.name === name));
    if (hit) {
      out[i] = hit;
      taken.add(hit);
    }
  });
  const unnamed = neutral.filter((n) => n.name === undefined);
  steps.forEach((s, i) => {
    if (generated(s) || out[i] || s.name !== undefined || s.displayName !== undefined) return;
    const next = unnamed.find((n) => !taken.has(n));
    if (next) {
      out[i] = next;
      taken.add(next);
    }
  });
  return out;
}

/** The neutral name of a compiled stage or job. */
export const neutralName = (u: { id: string; displayName?: string }): string => u.displayName ?? u.id;

/** The matrix entries of a job as neutral cells (one undefined cell for a job without a matrix). */
export function cells(job: AzJob, neutral: JobIR | undefined): { entry?: string; vars: Record<string, string>; cell?: Record<string, string> }[] {
  if (!job.matrix) return [{ vars: {} }];
  return Object.entries(job.matrix).map(([entry, vars]) => {
    const keys = neutral?.matrix ? Object.keys(neutral.matrix) : Object.keys(vars).filter((k) => k !== MATRIX_IMAGE_VAR);
    const cell = Object.fromEntries(keys.filter((k) => k in vars).map((k) => [k, vars[k]!]));
    return { entry, vars, cell };
  });
}
