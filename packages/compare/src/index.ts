/**
 * @pipeglot/compare — `pipeglot compare`: one neutral pipeline, every provider side by side — how each feature is
 * expressed, what files and resources it takes, the graph each provider will run, and a monthly
 * cost estimate from a price file.
 */
import type { Diagnostic, PipelineIR, SourceMap } from "@pipeglot/schema";
import { locateDiagnostics, type Prices, type ProviderBase, type ProviderOutput, type Workload } from "@pipeglot/core";
import { compareDiagnostic } from "./diagnostics.js";
import { buildReport, type CompareReport } from "./report.js";
import { reportDate, utcDay } from "./date.js";

export { CODES, compareDiagnostic, type CompareCode } from "./diagnostics.js";
export { DEFAULT_WORKLOAD, parseJobMinutes, unknownJobs } from "./workload.js";
export { parsePrices, loadPrices, defaultPricesPath, priceFileSchema, type PricedProvider, type PricesResult } from "./prices.js";
export * from "./report.js";
export { layoutRunGraph, renderSvg, type Layout, type LaidNode, type LaidEdge, type LaidCluster } from "./layout.js";
export { costRange, topRisks, readDates, type CostRange, type Risk } from "./summary.js";
export { evidenceFor, isAbout } from "./evidence.js";
export { reportDate, utcDay } from "./date.js";
export { renderReport, renderText, renderMarkdown, renderJson, renderHtml, money, totalText, rangeText, type ReportFormat } from "./render.js";

export interface CompareOptions {
  ir: PipelineIR;
  /** The definition's file name (for positions in the report). */
  file?: string;
  sourceMap?: SourceMap;
  providers: readonly ProviderBase[];
  prices: Prices;
  pricesFile: string;
  workload: Workload;
  /** The generation date shown in the header (YYYY-MM-DD); default: the day of SOURCE_DATE_EPOCH, else today (UTC). */
  date?: string;
  /** The pipeglot version shown in the header (the CLI passes its own); default "unknown". */
  version?: string;
}

/** Compile for every provider, diagnostics located. A provider whose compile throws shows an error diagnostic and no files. */
export function compileAll(providers: readonly ProviderBase[], ir: PipelineIR, sourceMap?: SourceMap): ProviderOutput[] {
  return providers.map((p) => {
    try {
      const out = p.compile(ir);
      return { ...out, diagnostics: locateDiagnostics(out.diagnostics, sourceMap) };
    } catch (e) {
      const d: Diagnostic = compareDiagnostic("PG-COMPARE-COMPILE", `${p.displayName} could not compile this pipeline: ${(e as Error)?.message ?? String(e)}`);
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
    date: o.date ?? reportDate(undefined, process.env).date ?? utcDay(new Date()),
    version: o.version ?? "unknown",
    ...(o.sourceMap ? { locate: (ptr: string) => o.sourceMap!.locate(ptr) } : {}),
  });
}
