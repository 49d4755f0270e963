/**
 * What running a pipeline on AWS costs a month, and the AWS section of the price file.
 * CodeBuild minutes per compute type (each job or matrix cell is one build, rounded up to the
 * minute) + CodePipeline V2 action minutes (build actions and the source action; approvals are
 * free), less the free tiers. A V1 pipeline costs per active pipeline instead (shown as the alternative).
 */
import { z } from "zod";
import {
  FigureSchema,
  allJobs,
  cellsOf,
  costLine,
  figureValue,
  minutesOf,
  priceSection,
  providerCost,
  runnerMap,
  type CostLine,
  type Prices,
  type ProviderCost,
  type Workload,
} from "@pipeglot/core";
import type { PipelineIR } from "@pipeglot/schema";
import { byText } from "@pipeglot/schema";

/** The `aws:` section of a price file. */
export const priceSchema = z
  .object({
    codepipeline: z
      .object({
        v1PerActivePipelineMonth: FigureSchema,
        v1FreeActivePipelines: FigureSchema,
        v2PerActionMinute: FigureSchema,
        v2FreeActionMinutes: FigureSchema,
      })
      .strict(),
    codebuild: z.object({ freeComputeType: z.string().min(1), freeMinutes: FigureSchema, perBuildMinute: z.record(z.string(), FigureSchema) }).strict(),
    runners: runnerMap(z.string().min(1)),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const [size, ct] of Object.entries(p.runners))
      if (!p.codebuild.perBuildMinute[ct])
        ctx.addIssue({
          code: "custom",
          path: ["runners", size],
          message: `names compute type ${JSON.stringify(ct)}, which aws.codebuild.perBuildMinute does not price`,
        });
  });
/** The monthly cost on AWS; `facts.pipelineType` (from the run graph) says V1 or V2 (default V2). */
export function cost(ir: PipelineIR, w: Workload, prices: Prices, facts: Readonly<Record<string, string>> = {}): ProviderCost {
  const a = priceSection(prices, "aws", priceSchema);
  const forced = ir.targets.aws?.computeType;
  const perType = new Map<string, number>();
  let actionMinutes = 1; // the source action
  for (const j of allJobs(ir)) {
    const ct = forced ?? a.runners[j.runner];
    const m = Math.ceil(minutesOf(j, w)) * cellsOf(j);
    perType.set(ct, (perType.get(ct) ?? 0) + m * w.runsPerMonth);
    actionMinutes += m;
  }
  const lines: CostLine[] = [...perType].sort(byText((e) => e[0])).map(([ct, q]) => {
    const fig = a.codebuild.perBuildMinute[ct];
    return costLine(
      `CodeBuild ${ct}`,
      q,
      "build minutes",
      fig,
      ct === a.codebuild.freeComputeType ? figureValue(a.codebuild.freeMinutes) : undefined,
      fig ? undefined : `no price for compute type ${ct} in the price file`,
    );
  });
  const v2 = costLine(
    "CodePipeline V2 action minutes",
    actionMinutes * w.runsPerMonth,
    "action minutes",
    a.codepipeline.v2PerActionMinute,
    figureValue(a.codepipeline.v2FreeActionMinutes),
  );
  const v1 = costLine(
    "CodePipeline V1 active pipeline",
    1,
    "active pipelines",
    a.codepipeline.v1PerActivePipelineMonth,
    figureValue(a.codepipeline.v1FreeActivePipelines),
  );
  const isV1 = (facts.pipelineType ?? "V2") === "V1";
  return providerCost(
    "aws",
    [...lines, isV1 ? v1 : v2],
    [{ ...(isV1 ? v2 : v1), replaces: [(isV1 ? v1 : v2).item] }],
    [
      `${w.runsPerMonth} runs a month; every stage runs on every run (approvals granted)`,
      "each job (or matrix cell) is one CodeBuild build and one pipeline action, rounded up to the minute; the source action takes 1 minute",
      `the pipeline is a CodePipeline ${isV1 ? "V1" : "V2"} pipeline (read from pipeline.json)`,
    ],
  );
}
