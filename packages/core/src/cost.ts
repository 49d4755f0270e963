/**
 * Monthly cost estimates, the provider-neutral part: a stated workload, the price file's figures,
 * cost lines and the schedule of a pipeline's jobs. Each provider's `cost` (ProviderBase) prices
 * the workload with its own section of the price file; nothing here is a price.
 */
import { z } from "zod";
import type { JobIR, PipelineIR, ProviderId, RunnerSize, StageIR } from "@pipeglot/schema";

export interface Workload {
  runsPerMonth: number;
  /** Minutes per job run when not overridden. */
  jobMinutes: number;
  /** By job id (`<stage>.<job>`). */
  overrides: Record<string, number>;
}

/** One figure of a price file: a value (null when not found, with a note saying why) and the page it was read from. */
export const FigureSchema = z
  .object({
    value: z.number().nonnegative().nullable(),
    unit: z.string().min(1),
    source: z.url(),
    read: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD"),
    note: z.string().min(1).optional(),
  })
  .strict()
  .refine((f) => f.value !== null || f.note !== undefined, { message: "a figure without a value (null) needs a note saying why", path: ["note"] });
export type Figure = z.infer<typeof FigureSchema>;

/** A value per runner size (what each provider maps `small`…`xlarge` to). */
export const runnerMap = <T extends z.ZodType>(t: T) => z.object({ small: t, medium: t, large: t, xlarge: t }).strict();

/**
 * A validated price file: the common members, and one section per provider (`<provider id>:`),
 * each validated with that provider's `priceSchema`.
 */
export interface Prices {
  pipeglotPrices: 1;
  currency: string;
  description?: string;
  $schema?: string;
  readonly [provider: string]: unknown;
}

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
  /** On an alternative: the items of the lines it would replace (for the cost range). */
  replaces?: string[];
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

/** Runner sizes, smallest first. */
export const RUNNER_RANK: Readonly<Record<RunnerSize, number>> = { small: 0, medium: 1, large: 2, xlarge: 3 };

export function minutesOf(job: JobIR, w: Workload): number {
  return w.overrides[job.id] ?? w.jobMinutes;
}

/** Matrix cells of a job (1 without a matrix). */
export function cellsOf(job: JobIR): number {
  return job.matrix ? Object.values(job.matrix).reduce((n, v) => n * Math.max(1, v.length), 1) : 1;
}

export const allJobs = (ir: PipelineIR): JobIR[] => ir.stages.flatMap((s) => s.jobs);

export interface Interval {
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

/** A figure's value, 0 when the price file has none. */
export const figureValue = (f: Figure): number => f.value ?? 0;

/** One cost line: `quantity` less the `free` allowance, priced at the figure (not priced, and said so, when it has no value). */
export function costLine(item: string, quantity: number, unit: string, fig: Figure | undefined, free?: number, note?: string): CostLine {
  const rate = fig?.value ?? null;
  const billable = Math.max(0, quantity - (free ?? 0));
  const why = note ?? (rate === null && fig?.note ? `no price: ${fig.note.split(/(?<=[.:])\s/)[0]!.replace(/[.:]$/, "")} (see the price file)` : undefined);
  return {
    item,
    quantity,
    unit,
    ...(free ? { free } : {}),
    rate,
    amount: rate === null ? (billable === 0 ? 0 : null) : billable * rate,
    ...(fig ? { source: fig.source } : {}),
    ...(why ? { note: why } : {}),
  };
}

/** A provider's cost from its lines: the total of the priced lines, complete when every line is priced. */
export function providerCost(provider: ProviderId, lines: CostLine[], alternatives: CostLine[], assumptions: string[]): ProviderCost {
  return {
    provider,
    lines,
    alternatives,
    total: lines.reduce((t, l) => t + (l.amount ?? 0), 0),
    complete: lines.every((l) => l.amount !== null),
    assumptions,
  };
}

/** A number as short text: integers as they are, otherwise at most two decimals. */
export const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, ""));

/** A provider's section of a price file, read with its schema (the file was validated with it: a mismatch throws). */
export function priceSection<T>(prices: Prices, id: ProviderId, schema: z.ZodType<T>): T {
  return schema.parse(prices[id]);
}
