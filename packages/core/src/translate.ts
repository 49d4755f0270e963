/**
 * Translate A → B: import with A, compile with B, and report, per target, how each feature of the
 * source is carried (native / emulated / lossy) with the position in the ORIGINAL native file.
 */
import { sortDiagnostics, validate, type Diagnostic, type PipelineIR, type ProviderId, type SourceMap } from "@pipeglot/schema";
import { FEATURES, usedFeatures, type FeatureId } from "./features.js";
import { importPipeline } from "./import.js";
import { locateDiagnostics } from "./locate.js";
import type { ImportOptions, NativeFile, ProviderBase, ProviderOutput, Support } from "./provider.js";

export interface LossRow {
  feature: FeatureId;
  title: string;
  support: Support | "unknown";
  how: string;
  code?: string;
  /** Where the source uses the feature, in the original native file. */
  file?: string;
  line?: number;
  column?: number;
}

export interface TranslateTarget {
  provider: ProviderId;
  output: ProviderOutput;
  losses: LossRow[];
}

export interface TranslateResult {
  /** The source's format: a provider's, or pipeglot's neutral format. */
  from: ProviderId | "pipeglot";
  pipeline?: PipelineIR;
  /** Import diagnostics (positions in the native files). */
  importDiagnostics: Diagnostic[];
  targets: TranslateTarget[];
}

export function translate(files: NativeFile[], from: ProviderBase, to: readonly ProviderBase[], opts: ImportOptions = {}): TranslateResult {
  const imported = importPipeline(from, files, opts);
  const result: TranslateResult = { from: from.id, importDiagnostics: sortDiagnostics(imported.diagnostics), targets: [] };
  if (!imported.pipeline) return result;
  result.pipeline = imported.pipeline;
  result.targets = to.map((p) => compileWithLosses(imported.pipeline!, p, imported.sourceMap));
  return result;
}

/**
 * The same for a neutral pipeglot definition: validated as `validate` does (its diagnostics are the
 * input's), then compiled to each target with the loss report; no import, no repair.
 */
export function translateNeutral(file: NativeFile, to: readonly ProviderBase[]): TranslateResult {
  const v = validate(file.content, { file: file.path });
  const result: TranslateResult = { from: "pipeglot", importDiagnostics: v.diagnostics, targets: [] };
  if (!v.ir) return result;
  result.pipeline = v.ir;
  result.targets = to.map((p) => compileWithLosses(v.ir!, p, v.sourceMap));
  return result;
}

/** Compile and build the loss report; positions come from `sm` (IR pointer → original file). */
export function compileWithLosses(ir: PipelineIR, p: ProviderBase, sm: SourceMap | undefined): TranslateTarget {
  const out = p.compile(ir);
  const output = { ...out, diagnostics: sortDiagnostics(locateDiagnostics(out.diagnostics, sm)) };
  const losses = usedFeatures(ir).map((u): LossRow => {
    const cap = p.capabilities.find((c) => c.feature === u.feature);
    const pos = sm?.locate(u.path);
    return {
      feature: u.feature,
      title: FEATURES[u.feature],
      support: cap?.support ?? "unknown",
      how: cap?.how ?? "not described by this provider's capability table",
      ...(cap?.code ? { code: cap.code } : {}),
      ...(pos ? { file: pos.file, line: pos.line, column: pos.column } : {}),
    };
  });
  return { provider: p.id, output, losses };
}
