/**
 * Splitting a pipeline at its gates. A stage with an approval or a disabled transition starts a
 * new part; every other stage runs in the latest part of the stages it needs. Each part is one
 * build (one trigger), and part k's last step starts part k+1's trigger.
 */
import { expandMatrix } from "@pipeglot/core";
import { topoSort, type PipelineIR, type StageIR } from "@pipeglot/schema";
import type { JobRef } from "./steps.js";

export interface Part {
  index: number;
  /** The stage that opens this part (absent for part 0). */
  gate?: StageIR;
  gateIndex?: number;
  stages: { stage: StageIR; si: number; jobs: JobRef[] }[];
}

const isGated = (s: StageIR): boolean => s.approval !== undefined || !s.transition.enabled;

/** A stage's jobs with matrices expanded, in dependency order. */
function expandJobs(stage: StageIR, si: number): JobRef[] {
  const expanded = new Map<string, string[]>();
  const refs: JobRef[] = [];
  stage.jobs.forEach((job, ji) => {
    const cells = expandMatrix(job);
    if (!cells.length) {
      expanded.set(job.name, [job.name]);
      refs.push({ stage, si, job, ji, name: job.name, needs: [] });
    } else {
      const names = cells.map((c) => `${job.name}-${c.suffix}`);
      expanded.set(job.name, names);
      cells.forEach((c, i) => refs.push({ stage, si, job, ji, name: names[i]!, matrix: c.values, needs: [] }));
    }
  });
  for (const r of refs) r.needs = r.job.needs.flatMap((n) => expanded.get(n) ?? []);
  const order =
    topoSort(
      refs.map((r) => r.name),
      (n) => refs.find((r) => r.name === n)!.needs,
    ) ?? refs.map((r) => r.name);
  return order.map((n) => refs.find((r) => r.name === n)!);
}

export function splitParts(ir: PipelineIR): Part[] {
  const names = ir.stages.map((s) => s.name);
  const byName = new Map(ir.stages.map((s, i) => [s.name, { s, i }]));
  const order = topoSort(names, (n) => byName.get(n)!.s.needs) ?? names;
  const parts: Part[] = [{ index: 0, stages: [] }];
  const partOf = new Map<string, number>();
  for (const n of order) {
    const { s, i } = byName.get(n)!;
    const base = Math.max(0, ...s.needs.map((d) => partOf.get(d) ?? 0));
    let idx = base;
    if (isGated(s) && (i > 0 || parts[0]!.stages.length > 0)) {
      idx = parts.length;
      parts.push({ index: idx, gate: s, gateIndex: i, stages: [] });
    }
    partOf.set(n, idx);
    parts[idx]!.stages.push({ stage: s, si: i, jobs: expandJobs(s, i) });
  }
  return parts.filter((p) => p.stages.length);
}
