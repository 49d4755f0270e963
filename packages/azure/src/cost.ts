/**
 * What running a pipeline on Azure Pipelines costs a month, and the Azure section of the price
 * file. Microsoft-hosted parallel jobs: free within one job and the monthly minutes; otherwise as
 * many paid jobs as the pipeline runs at once (one at a time is the cheaper, slower alternative).
 */
import { z } from "zod";
import {
  FigureSchema,
  allJobs,
  cellsOf,
  costLine,
  figureValue,
  fmt,
  minutesOf,
  peakConcurrency,
  priceSection,
  providerCost,
  schedule,
  type CostLine,
  type Prices,
  type ProviderCost,
  type Workload,
} from "@pipeglot/core";
import type { PipelineIR } from "@pipeglot/schema";

/** The `azure:` section of a price file. */
export const priceSchema = z
  .object({
    hostedParallelJobPerMonth: FigureSchema,
    selfHostedParallelJobPerMonth: FigureSchema,
    freeHostedParallelJobs: FigureSchema,
    freeHostedMinutesPerMonth: FigureSchema,
    freeHostedMaxJobMinutes: FigureSchema,
  })
  .strict();
/** The monthly cost on Azure Pipelines (Microsoft-hosted agents). */
export function cost(ir: PipelineIR, w: Workload, prices: Prices): ProviderCost {
  const az = priceSection(prices, "azure", priceSchema);
  const jobs = allJobs(ir);
  const monthly = jobs.reduce((t, j) => t + minutesOf(j, w) * cellsOf(j), 0) * w.runsPerMonth;
  const longest = Math.max(0, ...jobs.map((j) => minutesOf(j, w)));
  const peak = Math.max(1, peakConcurrency(schedule(ir, w)));
  const reasons: string[] = [];
  if (monthly > figureValue(az.freeHostedMinutesPerMonth))
    reasons.push(`${fmt(monthly)} minutes a month exceed the free ${fmt(figureValue(az.freeHostedMinutesPerMonth))}`);
  if (longest > figureValue(az.freeHostedMaxJobMinutes))
    reasons.push(`a ${fmt(longest)}-minute job exceeds the free tier's ${fmt(figureValue(az.freeHostedMaxJobMinutes))} minutes per job`);
  if (peak > figureValue(az.freeHostedParallelJobs)) reasons.push(`the pipeline runs ${peak} jobs at once`);
  const paid = reasons.length ? peak : 0;
  const fits = `fits the free tier (${fmt(monthly)} of ${fmt(figureValue(az.freeHostedMinutesPerMonth))} minutes, one job at a time)`;
  const l = costLine(
    "Microsoft-hosted parallel jobs",
    paid,
    "parallel jobs",
    az.hostedParallelJobPerMonth,
    undefined,
    reasons.length ? reasons.join("; ") : fits,
  );
  const alternatives: CostLine[] = [];
  if (peak > 1) {
    const serialReasons = reasons.filter((r) => !r.includes("at once"));
    alternatives.push({
      ...costLine(
        "Microsoft-hosted parallel jobs, jobs one at a time",
        serialReasons.length ? 1 : 0,
        "parallel jobs",
        az.hostedParallelJobPerMonth,
        undefined,
        "jobs queue for one agent: runs take longer",
      ),
      replaces: [l.item],
    });
  }
  return providerCost("azure", [l], alternatives, [
    `${w.runsPerMonth} runs a month; ${fmt(monthly)} job minutes a month`,
    "Microsoft-hosted agents have one size: runner sizes do not change the price",
    `parallel jobs = the most jobs the pipeline runs at once (${peak}), so runs are not slowed by queueing`,
  ]);
}
