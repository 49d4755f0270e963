/**
 * Monthly cost estimates: a stated workload (runs per month, minutes per job) priced with the
 * figures of a price file. Every rate comes from the price file; nothing here is a price.
 *
 * How each provider bills (and how the estimate follows it):
 *   aws    CodeBuild minutes per compute type (each job or matrix cell is one build, rounded up to the
 *          minute) + CodePipeline V2 action minutes (build actions and the source action; approvals are free),
 *          less the free tiers. A V1 pipeline would instead cost per active pipeline (shown as an alternative).
 *   azure  Microsoft-hosted parallel jobs: free within one job and the monthly minutes; otherwise as many
 *          paid jobs as the pipeline runs at once.
 *   gcp    Build minutes: each build (one per part split at approvals and disabled transitions) runs its
 *          steps on one machine for as long as its longest path; machine = the largest runner of the build.
 *   oci    Build runner OCPU and memory hours per job (or matrix cell), by runner shape.
 */
import type { JobIR, PipelineIR, ProviderId, RunnerSize, StageIR } from "@pipeglot/schema";
import type { Figure, Prices } from "./prices.js";

export interface Workload {
  runsPerMonth: number;
  /** Minutes per job run when not overridden. */
  jobMinutes: number;
  /** By job id (`<stage>.<job>`). */
  overrides: Record<string, number>;
}

export const DEFAULT_WORKLOAD: Workload = { runsPerMonth: 100, jobMinutes: 10, overrides: {} };

export interface CostLine {
  item: string;
  /** Per month. */
  quantity: number;
  unit: string;
  /** Free allowance of the same unit, deducted before pricing. */
  free?: number;
  /** Per unit; null when the price file has no figure. */
  rate: number | null;
  /** Per month; null when not priced. */
  amount: number | null;
  source?: string;
  note?: string;
}

export interface ProviderCost {
  provider: ProviderId;
  lines: CostLine[];
  /** Lines not in the total: what another choice would cost. */
  alternatives: CostLine[];
  /** Sum of the priced lines. */
  total: number;
  /** False when some line could not be priced (total is then a lower bound). */
  complete: boolean;
  assumptions: string[];
}

const RANK: Record<RunnerSize, number> = { small: 0, medium: 1, large: 2, xlarge: 3 };

export function minutesOf(job: JobIR, w: Workload): number {
  return w.overrides[job.id] ?? w.jobMinutes;
}

/** Matrix cells of a job (1 without a matrix). */
export function cellsOf(job: JobIR): number {
  return job.matrix ? Object.values(job.matrix).reduce((n, v) => n * Math.max(1, v.length), 1) : 1;
}

/** Job ids in the workload's overrides that the pipeline does not have. */
export function unknownJobs(ir: PipelineIR, w: Workload): string[] {
  const ids = new Set(ir.stages.flatMap((s) => s.jobs.map((j) => j.id)));
  return Object.keys(w.overrides).filter((k) => !ids.has(k));
}

interface Interval {
  job: JobIR;
  stage: StageIR;
  start: number;
  end: number;
}

/** Earliest-start schedule of the jobs (stage and job needs respected), in minutes from the run's start. */
export function schedule(ir: PipelineIR, w: Workload, stages: readonly StageIR[] = ir.stages): Interval[] {
  const inSet = new Set(stages.map((s) => s.name));
  const stageEnd = new Map<string, number>();
  const out: Interval[] = [];
  const pending = [...stages];
  let guard = 0;
  while (pending.length && guard++ < 10_000) {
    const i = pending.findIndex((s) => s.needs.every((n) => !inSet.has(n) || stageEnd.has(n)));
    const s = pending.splice(i < 0 ? 0 : i, 1)[0]!;
    const start = Math.max(0, ...s.needs.map((n) => stageEnd.get(n) ?? 0));
    const jobEnd = new Map<string, number>();
    const jobs = [...s.jobs];
    let g2 = 0;
    while (jobs.length && g2++ < 10_000) {
      const k = jobs.findIndex((j) => j.needs.every((n) => jobEnd.has(n) || !s.jobs.some((x) => x.name === n)));
      const j = jobs.splice(k < 0 ? 0 : k, 1)[0]!;
      const js = Math.max(start, ...j.needs.map((n) => jobEnd.get(n) ?? start));
      const je = js + minutesOf(j, w);
      jobEnd.set(j.name, je);
      out.push({ job: j, stage: s, start: js, end: je });
    }
    stageEnd.set(s.name, Math.max(start, ...jobEnd.values()));
  }
  return out;
}

/** The most jobs (matrix cells counted) running at the same moment. */
export function peakConcurrency(intervals: readonly Interval[]): number {
  const events = intervals.flatMap((i) => (i.end > i.start ? [[i.start, cellsOf(i.job)] as const, [i.end, -cellsOf(i.job)] as const] : []));
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, d] of events) peak = Math.max(peak, (now += d));
  return peak;
}

/** Stages grouped into the separate builds Cloud Build needs: a stage behind an approval or a disabled transition starts a new one. */
export function buildParts(ir: PipelineIR): StageIR[][] {
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

const line = (item: string, quantity: number, unit: string, fig: Figure | undefined, free?: number, note?: string): CostLine => {
  const rate = fig?.value ?? null;
  const billable = Math.max(0, quantity - (free ?? 0));
  return {
    item,
    quantity,
    unit,
    ...(free ? { free } : {}),
    rate,
    amount: rate === null ? (billable === 0 ? 0 : null) : billable * rate,
    ...(fig ? { source: fig.source } : {}),
    ...(note ?? (rate === null ? fig?.note : undefined) ? { note: note ?? `no price: ${fig!.note!.split(/(?<=[.:])\s/)[0]!.replace(/[.:]$/, "")} (see the price file)` } : {}),
  };
};

function finish(provider: ProviderId, lines: CostLine[], alternatives: CostLine[], assumptions: string[]): ProviderCost {
  return {
    provider,
    lines,
    alternatives,
    total: lines.reduce((t, l) => t + (l.amount ?? 0), 0),
    complete: lines.every((l) => l.amount !== null),
    assumptions,
  };
}

const allJobs = (ir: PipelineIR) => ir.stages.flatMap((s) => s.jobs);
const num = (f: Figure) => f.value ?? 0;

function awsCost(ir: PipelineIR, w: Workload, p: Prices, pipelineType: string): ProviderCost {
  const a = p.aws;
  const forced = ir.targets.aws?.computeType;
  const perType = new Map<string, number>();
  let actionMinutes = 1; // the source action
  for (const j of allJobs(ir)) {
    const ct = forced ?? a.runners[j.runner];
    const m = Math.ceil(minutesOf(j, w)) * cellsOf(j);
    perType.set(ct, (perType.get(ct) ?? 0) + m * w.runsPerMonth);
    actionMinutes += m;
  }
  const lines: CostLine[] = [...perType]
    .sort((x, y) => (x[0] < y[0] ? -1 : 1))
    .map(([ct, q]) => line(`CodeBuild ${ct}`, q, "build minutes", a.codebuild.perBuildMinute[ct], ct === a.codebuild.freeComputeType ? num(a.codebuild.freeMinutes) : undefined, a.codebuild.perBuildMinute[ct] ? undefined : `no price for compute type ${ct} in the price file`));
  const v2 = line("CodePipeline V2 action minutes", actionMinutes * w.runsPerMonth, "action minutes", a.codepipeline.v2PerActionMinute, num(a.codepipeline.v2FreeActionMinutes));
  const v1 = line("CodePipeline V1 active pipeline", 1, "active pipelines", a.codepipeline.v1PerActivePipelineMonth, num(a.codepipeline.v1FreeActivePipelines));
  const isV1 = pipelineType === "V1";
  return finish("aws", [...lines, isV1 ? v1 : v2], [isV1 ? v2 : v1], [
    `${w.runsPerMonth} runs a month; every stage runs on every run (approvals granted)`,
    "each job (or matrix cell) is one CodeBuild build and one pipeline action, rounded up to the minute; the source action takes 1 minute",
    `the pipeline is a CodePipeline ${isV1 ? "V1" : "V2"} pipeline (read from pipeline.json)`,
  ]);
}

function azureCost(ir: PipelineIR, w: Workload, p: Prices): ProviderCost {
  const z = p.azure;
  const jobs = allJobs(ir);
  const monthly = jobs.reduce((t, j) => t + minutesOf(j, w) * cellsOf(j), 0) * w.runsPerMonth;
  const longest = Math.max(0, ...jobs.map((j) => minutesOf(j, w)));
  const peak = Math.max(1, peakConcurrency(schedule(ir, w)));
  const reasons: string[] = [];
  if (monthly > num(z.freeHostedMinutesPerMonth)) reasons.push(`${fmt(monthly)} minutes a month exceed the free ${fmt(num(z.freeHostedMinutesPerMonth))}`);
  if (longest > num(z.freeHostedMaxJobMinutes)) reasons.push(`a ${fmt(longest)}-minute job exceeds the free tier's ${fmt(num(z.freeHostedMaxJobMinutes))} minutes per job`);
  if (peak > num(z.freeHostedParallelJobs)) reasons.push(`the pipeline runs ${peak} jobs at once`);
  const paid = reasons.length ? peak : 0;
  const l = line("Microsoft-hosted parallel jobs", paid, "parallel jobs", z.hostedParallelJobPerMonth, undefined, reasons.length ? reasons.join("; ") : `fits the free tier (${fmt(monthly)} of ${fmt(num(z.freeHostedMinutesPerMonth))} minutes, one job at a time)`);
  const alternatives: CostLine[] = [];
  if (peak > 1) {
    const serialReasons = reasons.filter((r) => !r.includes("at once"));
    alternatives.push(line("Microsoft-hosted parallel jobs, jobs one at a time", serialReasons.length ? 1 : 0, "parallel jobs", z.hostedParallelJobPerMonth, undefined, "jobs queue for one agent: runs take longer"));
  }
  return finish("azure", [l], alternatives, [
    `${w.runsPerMonth} runs a month; ${fmt(monthly)} job minutes a month`,
    "Microsoft-hosted agents have one size: runner sizes do not change the price",
    `parallel jobs = the most jobs the pipeline runs at once (${peak}), so runs are not slowed by queueing`,
  ]);
}

const gcpMachine = (m: string) => m.toLowerCase().replace(/_/g, "-");

function gcpCost(ir: PipelineIR, w: Workload, p: Prices): ProviderCost {
  const g = p.gcp;
  const forced = ir.targets.gcp?.machineType;
  const perMachine = new Map<string, number>();
  const parts = buildParts(ir);
  for (const stages of parts) {
    const sched = schedule(ir, w, stages);
    const length = Math.max(0, ...sched.map((i) => i.end));
    const biggest = stages.flatMap((s) => s.jobs).reduce<RunnerSize>((r, j) => (RANK[j.runner] > RANK[r] ? j.runner : r), "small");
    const machine = forced ? gcpMachine(forced) : g.runners[biggest];
    perMachine.set(machine, (perMachine.get(machine) ?? 0) + length * w.runsPerMonth);
  }
  const lines = [...perMachine]
    .sort((x, y) => (x[0] < y[0] ? -1 : 1))
    .map(([m, q]) => line(`Cloud Build ${m}`, q, "build minutes", g.perBuildMinute[m], m === g.freeMachineType ? num(g.freeBuildMinutes) : undefined, g.perBuildMinute[m] ? undefined : `no price for machine type ${m} in the price file`));
  return finish("gcp", lines, [], [
    `${w.runsPerMonth} runs a month; every part runs on every run (approvals granted)`,
    `${parts.length} build${parts.length === 1 ? "" : "s"} per run (a new build after each approval or disabled transition); each lasts as long as its longest path of jobs, since its steps share one machine`,
    "the steps pipeglot adds (artifact upload, starting the next build) are not counted",
  ]);
}

function ociCost(ir: PipelineIR, w: Workload, p: Prices): ProviderCost {
  const o = p.oci;
  const hours = new Map<RunnerSize, number>();
  for (const j of allJobs(ir)) hours.set(j.runner, (hours.get(j.runner) ?? 0) + (minutesOf(j, w) * cellsOf(j) * w.runsPerMonth) / 60);
  const lines: CostLine[] = [];
  for (const size of ["small", "medium", "large", "xlarge"] as RunnerSize[]) {
    const h = hours.get(size);
    if (!h) continue;
    const shape = o.runners[size];
    lines.push(line(`Build runner OCPU (${size}: ${shape.ocpus} OCPU)`, h * shape.ocpus, "OCPU hours", o.ocpuPerHour));
    lines.push(line(`Build runner memory (${size}: ${shape.memoryGb} GB)`, h * shape.memoryGb, "GB hours", o.memoryGbPerHour));
  }
  return finish("oci", lines, [], [
    `${w.runsPerMonth} runs a month; every stage runs on every run (approvals granted)`,
    "OCI DevOps itself is free; each job (or matrix cell) is one build stage whose runner is billed for OCPU and memory while it runs",
  ]);
}

/** The monthly cost of running `ir` on `provider` under workload `w`, priced with `prices`. */
export function estimateCost(provider: ProviderId, ir: PipelineIR, w: Workload, prices: Prices, facts: Record<string, string> = {}): ProviderCost {
  switch (provider) {
    case "aws":
      return awsCost(ir, w, prices, facts.pipelineType ?? "V2");
    case "azure":
      return azureCost(ir, w, prices);
    case "gcp":
      return gcpCost(ir, w, prices);
    case "oci":
      return ociCost(ir, w, prices);
  }
}

export const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, ""));

/** Parse `--job-minutes` values: `N` sets the default, `<stage>.<job>=N` one job. */
export function parseJobMinutes(values: readonly string[], base: Workload = DEFAULT_WORKLOAD): { workload: Workload; errors: string[] } {
  const errors: string[] = [];
  let jobMinutes = base.jobMinutes;
  const overrides = { ...base.overrides };
  for (const raw of values) {
    const v = String(raw).trim();
    const m = /^(?:(.+)=)?\s*([0-9]+(?:\.[0-9]+)?)$/.exec(v);
    if (!m || Number(m[2]) <= 0) {
      errors.push(`--job-minutes ${JSON.stringify(v)}: expected minutes (e.g. 8) or <stage>.<job>=<minutes> (e.g. build.test=7), minutes > 0`);
      continue;
    }
    if (m[1]) overrides[m[1].trim()] = Number(m[2]);
    else jobMinutes = Number(m[2]);
  }
  return { workload: { ...base, jobMinutes, overrides }, errors };
}
