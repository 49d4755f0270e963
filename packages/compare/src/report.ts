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
  /** The compile diagnostics about this feature (same code). */
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
  /** Per provider, from a local run of the definition and of each compiled output (absent: not run). */
  behaviour?: Partial<Record<ProviderId, BehaviourCheck>>;
  file?: string;
  currency: string;
  pricesFile: string;
  workload: Workload;
  providers: ProviderReport[];
  features: FeatureRow[];
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
  /** Position of a pointer in the definition, for the feature rows. */
  locate?: (ptr: string) => { line?: number; column?: number };
}

export function buildReport(input: ReportInput): CompareReport {
  const { ir, providers, outputs, prices, workload } = input;
  const used = usedFeatures(ir);
  const reports: ProviderReport[] = providers.map((p) => {
    const out = outputs.find((o) => o.provider === p.id) ?? { provider: p.id, pipeline: ir.name, files: [], diagnostics: [] };
    const files = fileRoles(p, out);
    const graph = p.runGraph(out.files);
    const counts = { native: 0, emulated: 0, lossy: 0, unknown: 0 };
    for (const u of used) counts[p.capabilities.find((c) => c.feature === u.feature)?.support ?? "unknown"]++;
    return {
      id: p.id,
      name: p.displayName,
      files,
      resources: files.filter((f) => f.role === "resource").length,
      diagnostics: out.diagnostics,
      graph,
      cost: p.cost(ir, workload, prices, graph.facts),
      counts,
    };
  });
  const features: FeatureRow[] = used.map((u) => {
    const pos = input.locate?.(u.path) ?? {};
    const cells: Partial<Record<ProviderId, FeatureCell>> = {};
    for (const p of providers) {
      const cap = p.capabilities.find((c) => c.feature === u.feature);
      const out = outputs.find((o) => o.provider === p.id);
      const diagnostics = cap?.code
        ? (out?.diagnostics ?? [])
            .filter((d) => d.code === cap.code)
            .map((d) => ({
              severity: d.severity,
              code: d.code,
              message: d.message,
              path: d.path,
              ...(d.line ? { line: d.line } : {}),
              ...(d.column ? { column: d.column } : {}),
            }))
        : [];
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
  return {
    pipeline: ir.name,
    ...(input.file ? { file: input.file } : {}),
    currency: prices.currency,
    pricesFile: input.pricesFile,
    workload,
    providers: reports,
    features,
  };
}
