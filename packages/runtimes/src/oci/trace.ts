/**
 * The trace of an OCI run in neutral terms: every job key the compiled stages map to (those
 * that never ran: skipped), the neutral stages in their definition order (the
 * `pipeglot-stage-index` tags), their status and the run's outcome.
 */
import type { StageStatus, StageTrace, Trace } from "../trace.js";
import { finishTrace } from "../trace.js";
import type { RunContext } from "./context.js";
import { buildSpecOf, commandSpecOf } from "./files.js";
import { skippedJob } from "./jobs.js";
import { gateOf, unitOf, type UnitRef } from "./units.js";

function allUnits(ctx: RunContext): UnitRef[] {
  const out: UnitRef[] = [];
  for (const s of ctx.files.buildStages) if (s.type === "BUILD") out.push(...[unitOf(ctx.ir, s, buildSpecOf(ctx.files, s))].filter((u): u is UnitRef => !!u));
  for (const s of ctx.files.deployStages)
    if (s.type === "SHELL") out.push(...[unitOf(ctx.ir, s, commandSpecOf(ctx.files, s))].filter((u): u is UnitRef => !!u));
  return out;
}

function stageStatus(ctx: RunContext, stage: string, keys: string[]): StageStatus {
  if (ctx.rejected.has(stage)) return "rejected";
  const st = keys.map((k) => ctx.jobs.get(k)?.status ?? "skipped");
  if (st.includes("failed")) return "failed";
  if (st.length > 0 && st.every((x) => x === "skipped")) return "skipped";
  return "succeeded";
}

export function buildTrace(ctx: RunContext): Trace {
  const units = allUnits(ctx);
  for (const u of units) if (!ctx.jobs.has(u.key)) ctx.jobs.set(u.key, skippedJob(u.key));
  const index = new Map<string, number>();
  for (const u of units) index.set(u.stage, u.stageIndex);
  for (const s of ctx.files.deployStages) {
    const g = gateOf(s);
    if (g && !index.has(g.stage)) index.set(g.stage, g.stageIndex);
  }
  const stages: StageTrace[] = [...index.entries()]
    .sort((a, b) => a[1] - b[1])
    .map(([name]) => ({
      name,
      status: stageStatus(
        ctx,
        name,
        units.filter((u) => u.stage === name).map((u) => u.key),
      ),
    }));
  for (const s of stages) ctx.opts.onProgress?.({ kind: "stage-end", name: s.name, status: s.status });
  const failed = ctx.pipelineFailed || ctx.rejected.size > 0 || [...ctx.jobs.values()].some((j) => j.status === "failed");
  return finishTrace({
    target: "oci",
    pipeline: ctx.ir.name,
    outcome: failed ? "failed" : "succeeded",
    stages,
    jobs: [...ctx.jobs.values()],
    notes: ctx.notes,
  });
}
