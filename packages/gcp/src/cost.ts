/**
 * What running a pipeline on Google Cloud Build costs a month, and the Google Cloud section of the
 * price file. Build minutes: each build (one per part, split at approvals and disabled transitions)
 * runs its steps on one machine for as long as its longest path; machine = the largest runner of the build.
 */
import { z } from "zod";
import {
  FigureSchema,
  RUNNER_RANK,
  costLine,
  figureValue,
  priceSection,
  providerCost,
  runnerMap,
  schedule,
  type Prices,
  type ProviderCost,
  type Workload,
} from "@pipeglot/core";
import type { PipelineIR, RunnerSize, StageIR } from "@pipeglot/schema";
import { byText } from "@pipeglot/schema";

/** The `gcp:` section of a price file. */
export const priceSchema = z
  .object({
    freeMachineType: z.string().min(1),
    freeBuildMinutes: FigureSchema,
    perBuildMinute: z.record(z.string(), FigureSchema),
    runners: runnerMap(z.string().min(1)),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const [size, mt] of Object.entries(p.runners))
      if (!p.perBuildMinute[mt])
        ctx.addIssue({ code: "custom", path: ["runners", size], message: `names machine type ${JSON.stringify(mt)}, which gcp.perBuildMinute does not price` });
  });
/** Stages grouped into the separate builds Cloud Build needs: a stage behind an approval or a disabled transition starts a new one. */
function buildParts(ir: PipelineIR): StageIR[][] {
  const part = new Map<string, number>();
  let next = 0;
  for (const s of ir.stages) {
    const gated = !!s.approval || !s.transition.enabled;
    const p = gated && part.size ? ++next : Math.max(0, ...s.needs.map((n) => part.get(n) ?? 0));
    part.set(s.name, p);
  }
  const parts: StageIR[][] = [];
  for (const s of ir.stages) (parts[part.get(s.name)!] ??= []).push(s);
  return parts.filter(Boolean);
}

const machineName = (m: string) => m.toLowerCase().replace(/_/g, "-");

/** The monthly cost on Cloud Build. */
export function cost(ir: PipelineIR, w: Workload, prices: Prices): ProviderCost {
  const g = priceSection(prices, "gcp", priceSchema);
  const forced = ir.targets.gcp?.machineType;
  const perMachine = new Map<string, number>();
  const parts = buildParts(ir);
  for (const stages of parts) {
    const length = Math.max(0, ...schedule(ir, w, stages).map((i) => i.end));
    const biggest = stages.flatMap((s) => s.jobs).reduce<RunnerSize>((r, j) => (RUNNER_RANK[j.runner] > RUNNER_RANK[r] ? j.runner : r), "small");
    const machine = forced ? machineName(forced) : g.runners[biggest];
    perMachine.set(machine, (perMachine.get(machine) ?? 0) + length * w.runsPerMonth);
  }
  const lines = [...perMachine].sort(byText((e) => e[0])).map(([m, q]) => {
    const fig = g.perBuildMinute[m];
    return costLine(
      `Cloud Build ${m}`,
      q,
      "build minutes",
      fig,
      m === g.freeMachineType ? figureValue(g.freeBuildMinutes) : undefined,
      fig ? undefined : `no price for machine type ${m} in the price file`,
    );
  });
  return providerCost(
    "gcp",
    lines,
    [],
    [
      `${w.runsPerMonth} runs a month; every part runs on every run (approvals granted)`,
      `${parts.length} build${parts.length === 1 ? "" : "s"} per run (a new build after each approval or disabled transition); each lasts as long as its longest path of jobs, since its steps share one machine`,
      "the steps pipeglot adds (artifact upload, starting the next build) are not counted",
    ],
  );
}
