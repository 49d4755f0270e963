/**
 * The comparison report as plain data (what `--format json` prints): for one neutral pipeline and
 * each provider, how every used feature is expressed (with the diagnostics that say so), the files
 * and resources, the run graph and a monthly cost estimate.
 */
import type { Diagnostic, PipelineIR, ProviderId } from "@pipeglot/schema";
import {
  FEATURES,
  usedFeatures,
  type FeatureId,
  type FileRole,
  type Prices,
  type ProviderBase,
  type ProviderCost,
  type ProviderOutput,
  type RunGraph,
  type Support,
  type Workload,
} from "@pipeglot/core";
import { evidenceFor } from "./evidence.js";
import { costRange, readDates, topRisks, type CostRange, type Risk } from "./summary.js";

export interface ReportFile {
  path: string;
  kind: string;
  /** What a team does with the file (FileRole in @pipeglot/core: repository, resource, alternative, reference). */
  role: FileRole;
}

export interface FeatureCell {
  support: Support | "unknown";
  how: string;
  code?: string;
  /** The compile diagnostics about this feature: its capability's code, about a place the pipeline uses it. */
  diagnostics: Pick<Diagnostic, "severity" | "code" | "message" | "path" | "line" | "column">[];
}

export interface FeatureRow {
  feature: FeatureId;
  title: string;
  /** Where the pipeline first uses it (JSON pointer), and its position when known. */
  path: string;
  line?: number;
  column?: number;
  cells: Partial<Record<ProviderId, FeatureCell>>;
}

export interface ProviderReport {
  id: ProviderId;
  name: string;
  files: ReportFile[];
  /** API resources apply creates (files with role resource). */
  resources: number;
  diagnostics: Diagnostic[];
  graph: RunGraph;
  cost: ProviderCost;
  counts: Record<Support | "unknown", number>;
}

/** What a decision needs first, per provider: how the features fare, the cost range, the files to own, the top risks. */
export interface ProviderSummary {
  provider: ProviderId;
  name: string;
  counts: Record<Support | "unknown", number>;
  cost: CostRange;
  /** Files to commit to the repository (the service reads them at run time). */
  filesToOwn: string[];
  /** The (at most) three features this provider serves worst, each with its diagnostic. */
  /** API resources apply creates. */
  resources: number;
  risks: Risk[];
}

/**
 * Whether the compiled pipeline behaves as the definition says, from a local differential run
 * (@pipeglot/runtimes, record mode): the cloud's trace against the neutral reference trace.
 * same: no difference; named: every difference is named by a diagnostic of the compile;
 * differs: some difference is not; refused: the compile refused the definition (nothing ran).
 */
export interface BehaviourCheck {
  verdict: "same" | "named" | "differs" | "refused";
  differences: number;
  unexplained: number;
  /** The first unexplained difference (or the first named one), in one line. */
  example?: string;
}

export interface CompareReport {
  pipeline: string;
  /** When and by which pipeglot the report was made (the date is an input: --date or SOURCE_DATE_EPOCH). */
  generated: { date: string; pipeglotVersion: string };
  /** Per provider compared, the dates its price figures were read (oldest first). */
  pricesRead: { provider: ProviderId; dates: string[] }[];
  /** Per provider, from a local run of the definition and of each compiled output (absent: not run). */
  behaviour?: Partial<Record<ProviderId, BehaviourCheck>>;
  file?: string;
  currency: string;
  pricesFile: string;
  workload: Workload;
  /** The decision first: one entry per provider, in the providers' order. */
  summary: ProviderSummary[];
  features: FeatureRow[];
  providers: ProviderReport[];
}

/** What a team does with each output file, as its provider says. */
export function fileRoles(provider: Pick<ProviderBase, "fileRoles">, out: Pick<ProviderOutput, "files">): ReportFile[] {
  const roles = provider.fileRoles(out.files);
  return out.files.map((f, i) => ({ path: f.path, kind: f.kind, role: roles[i] ?? "reference" }));
}

export interface ReportInput {
  ir: PipelineIR;
  file?: string;
  providers: readonly ProviderBase[];
  /** Compile output per provider (diagnostics already located, when a source map is at hand). */
  outputs: readonly ProviderOutput[];
  prices: Prices;
  pricesFile: string;
  workload: Workload;
  /** The generation date (YYYY-MM-DD) and the pipeglot version shown in the header. */
  date: string;
  version: string;
  /** Position of a pointer in the definition, for the feature rows. */
  locate?: (ptr: string) => { line?: number; column?: number };
}

export function buildReport(input: ReportInput): CompareReport {
  const { ir, providers, prices, workload } = input;
  const features = featureRows(input);
  const reports = providers.map((p) => providerReport(input, p, features));
  return {
    pipeline: ir.name,
    generated: { date: input.date, pipeglotVersion: input.version },
    pricesRead: providers.map((p) => ({ provider: p.id, dates: readDates(prices[p.id]) })),
    ...(input.file ? { file: input.file } : {}),
    currency: prices.currency,
    pricesFile: input.pricesFile,
    workload,
    summary: reports.map((p) => summaryOf(p, features)),
    features,
    providers: reports,
  };
}

function outputOf(input: ReportInput, id: ProviderId): ProviderOutput {
  return input.outputs.find((o) => o.provider === id) ?? { provider: id, pipeline: input.ir.name, files: [], diagnostics: [] };
}

function providerReport(input: ReportInput, p: ProviderBase, features: readonly FeatureRow[]): ProviderReport {
  const out = outputOf(input, p.id);
  const files = fileRoles(p, out);
  const graph = p.runGraph(out.files);
  const counts = { native: 0, emulated: 0, lossy: 0, unknown: 0 };
  for (const f of features) counts[f.cells[p.id]?.support ?? "unknown"]++;
  const cost = p.cost(input.ir, input.workload, input.prices, graph.facts);
  return {
    id: p.id,
    name: p.displayName,
    files,
    resources: files.filter((f) => f.role === "resource").length,
    diagnostics: out.diagnostics,
    graph,
    cost,
    counts,
  };
}

function summaryOf(p: ProviderReport, features: readonly FeatureRow[]): ProviderSummary {
  return {
    provider: p.id,
    name: p.name,
    counts: p.counts,
    cost: costRange(p.cost),
    filesToOwn: p.files.filter((f) => f.role === "repository").map((f) => f.path),
    resources: p.resources,
    risks: topRisks(features, p.id),
  };
}

function featureRows(input: ReportInput): FeatureRow[] {
  return usedFeatures(input.ir).map((u) => {
    const pos = input.locate?.(u.path) ?? {};
    const cells: Partial<Record<ProviderId, FeatureCell>> = {};
    for (const p of input.providers) {
      const cap = p.capabilities.find((c) => c.feature === u.feature);
      const diagnostics = evidenceFor(cap?.code, u.paths, outputOf(input, p.id).diagnostics).map((d) => ({
        severity: d.severity,
        code: d.code,
        message: d.message,
        path: d.path,
        ...(d.line ? { line: d.line } : {}),
        ...(d.column ? { column: d.column } : {}),
      }));
      cells[p.id] = cap
        ? { support: cap.support, how: cap.how, ...(cap.code ? { code: cap.code } : {}), diagnostics }
        : { support: "unknown", how: `${p.displayName} has no capability row for ${u.feature}`, diagnostics: [] };
    }
    return {
      feature: u.feature,
      title: FEATURES[u.feature],
      path: u.path,
      ...(pos.line ? { line: pos.line } : {}),
      ...(pos.column ? { column: pos.column } : {}),
      cells,
    };
  });
}
