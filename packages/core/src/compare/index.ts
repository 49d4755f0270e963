/**
 * `pipeglot compare`: one neutral pipeline, every provider side by side — how each feature is
 * expressed, what files and resources it takes, the graph each provider will run, and a monthly
 * cost estimate from a price file.
 */
import type { Diagnostic, PipelineIR, SourceMap } from "@pipeglot/schema";
import { locateDiagnostics } from "../locate.js";
import type { ProviderBase, ProviderOutput } from "../provider.js";
import type { Workload } from "./cost.js";
import type { Prices } from "./prices.js";
import { buildReport, type CompareReport } from "./report.js";

export { estimateCost, parseJobMinutes, unknownJobs, cellsOf, DEFAULT_WORKLOAD, type Workload, type CostLine, type ProviderCost } from "./cost.js";
export { parsePrices, loadPrices, defaultPricesPath, PriceFileSchema, type Prices, type PricesResult, type Figure } from "./prices.js";
export * from "./report.js";
export * from "./run-graph.js";
export { layoutRunGraph, renderSvg, type Layout, type LaidNode, type LaidEdge, type LaidCluster } from "./layout.js";
export { renderReport, renderText, renderMarkdown, renderJson, renderHtml, money, totalText, type ReportFormat } from "./render.js";

export interface CompareOptions {
  ir: PipelineIR;
  /** The definition's file name (for positions in the report). */
  file?: string;
  sourceMap?: SourceMap;
  providers: readonly ProviderBase[];
  prices: Prices;
  pricesFile: string;
  workload: Workload;
}

/** Compile for every provider, diagnostics located. A provider whose compile throws shows an error diagnostic and no files. */
export function compileAll(providers: readonly ProviderBase[], ir: PipelineIR, sourceMap?: SourceMap): ProviderOutput[] {
  return providers.map((p) => {
    try {
      const out = p.compile(ir);
      return { ...out, diagnostics: locateDiagnostics(out.diagnostics, sourceMap) };
    } catch (e) {
      const d: Diagnostic = { severity: "error", code: "PG-COMPARE-COMPILE", message: `${p.displayName} could not compile this pipeline: ${(e as Error)?.message ?? String(e)}`, path: "" };
      return { provider: p.id, pipeline: ir.name, files: [], diagnostics: [d] };
    }
  });
}

/** Compile for every provider (unless `outputs` are given) and build the report. */
export function compare(o: CompareOptions & { outputs?: readonly ProviderOutput[] }): CompareReport {
  const outputs = o.outputs ?? compileAll(o.providers, o.ir, o.sourceMap);
  return buildReport({
    ir: o.ir,
    ...(o.file ? { file: o.file } : {}),
    providers: o.providers,
    outputs,
    prices: o.prices,
    pricesFile: o.pricesFile,
    workload: o.workload,
    ...(o.sourceMap ? { locate: (ptr: string) => o.sourceMap!.locate(ptr) } : {}),
  });
}


