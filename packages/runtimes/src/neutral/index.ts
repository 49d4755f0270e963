/**
 * The reference interpreter of the pipeglot format: runs the neutral definition (not a compiled
 * output) with the reference semantics every cloud model is compared against. Stages and jobs run
 * one after another in their `needs` order (independent ones in the order written), so that a run
 * is deterministic; the order does not change the trace.
 */
import type { PipelineIR } from "@pipeglot/schema";
import type { LocalRunOptions } from "../options.js";
import type { Sandbox } from "../sandbox.js";
import { finishTrace, type JobTrace, type StageStatus, type Trace } from "../trace.js";
import type { RunContext } from "./context.js";
import { dagOrder } from "./schedule.js";
import { runStageJobs, skippedStageJobs, stageGate } from "./stages.js";

/** The reference interpreter: the trace of `ir` run with `opts` in `sandbox`. */
export async function runNeutral(ir: PipelineIR, opts: LocalRunOptions, sandbox: Sandbox): Promise<Trace> {
  const run: RunContext = { ir, opts, sandbox, notes: [] };
  const statuses = new Map<string, StageStatus>();
  const blocked = new Set<string>();
  const jobs: JobTrace[] = [];
  for (const stage of dagOrder(ir.stages)) {
    const gate = stageGate(run, stage, statuses, blocked);
    let status: StageStatus;
    if (gate === "run") {
      const ran = await runStageJobs(run, stage);
      jobs.push(...ran);
      status = ran.some((j) => j.status === "failed") ? "failed" : "succeeded";
    } else {
      jobs.push(...skippedStageJobs(stage));
      status = gate;
      if (gate === "held" || (gate === "skipped" && stage.needs.some((n) => blocked.has(n)))) blocked.add(stage.name);
    }
    statuses.set(stage.name, status);
    opts.onProgress?.({ kind: "stage-end", name: stage.name, status });
  }
  const failed = jobs.some((j) => j.status === "failed") || [...statuses.values()].includes("rejected");
  return finishTrace({
    target: "neutral",
    pipeline: ir.name,
    outcome: failed ? "failed" : "succeeded",
    stages: ir.stages.map((s) => ({ name: s.name, status: statuses.get(s.name) ?? "skipped" })),
    jobs,
    notes: run.notes,
  });
}
