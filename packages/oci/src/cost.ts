/**
 * What running a pipeline on OCI DevOps costs a month, and the OCI section of the price file.
 * DevOps itself is free; build runners are billed for OCPU and memory hours per job (or matrix
 * cell), by runner shape.
 */
import { z } from "zod";
import {
  FigureSchema,
  allJobs,
  cellsOf,
  costLine,
  minutesOf,
  priceSection,
  providerCost,
  runnerMap,
  type CostLine,
  type Prices,
  type ProviderCost,
  type Workload,
} from "@pipeglot/core";
import type { PipelineIR, RunnerSize } from "@pipeglot/schema";

/** The `oci:` section of a price file. */
export const priceSchema = z
  .object({
    ocpuPerHour: FigureSchema,
    memoryGbPerHour: FigureSchema,
    runners: runnerMap(z.object({ ocpus: z.number().positive(), memoryGb: z.number().positive(), note: z.string().optional() }).strict()),
  })
  .strict();
const SIZES: readonly RunnerSize[] = ["small", "medium", "large", "xlarge"];

/** The monthly cost on OCI DevOps. */
export function cost(ir: PipelineIR, w: Workload, prices: Prices): ProviderCost {
  const o = priceSection(prices, "oci", priceSchema);
  const hours = new Map<RunnerSize, number>();
  for (const j of allJobs(ir)) hours.set(j.runner, (hours.get(j.runner) ?? 0) + (minutesOf(j, w) * cellsOf(j) * w.runsPerMonth) / 60);
  const lines: CostLine[] = [];
  for (const size of SIZES) {
    const h = hours.get(size);
    if (!h) continue;
    const shape = o.runners[size];
    lines.push(costLine(`Build runner OCPU (${size}: ${shape.ocpus} OCPU)`, h * shape.ocpus, "OCPU hours", o.ocpuPerHour));
    lines.push(costLine(`Build runner memory (${size}: ${shape.memoryGb} GB)`, h * shape.memoryGb, "GB hours", o.memoryGbPerHour));
  }
  return providerCost(
    "oci",
    lines,
    [],
    [
      `${w.runsPerMonth} runs a month; every stage runs on every run (approvals granted)`,
      "OCI DevOps itself is free; each job (or matrix cell) is one build stage whose runner is billed for OCPU and memory while it runs",
    ],
  );
}
