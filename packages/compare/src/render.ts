/**
 * The report as a terminal table, Markdown, JSON or one self-contained HTML page. Every format puts
 * the decision first: the summary, then the capability matrix, then the run graphs and details.
 */
import type { CompareReport } from "./report.js";
import { renderHtml } from "./render-html.js";
import { renderMarkdown } from "./render-markdown.js";
import { renderText } from "./render-text.js";

export type ReportFormat = "text" | "json" | "markdown" | "html";

export { money, totalText, rangeText } from "./format.js";
export { renderHtml, renderMarkdown, renderText };

/** The report as JSON: the header, the summary, the matrix (features), then the providers' details. */
export function renderJson(r: CompareReport): string {
  return JSON.stringify(r, null, 2) + "\n";
}

/** Render in any format. */
export async function renderReport(r: CompareReport, format: ReportFormat): Promise<string> {
  switch (format) {
    case "json":
      return renderJson(r);
    case "markdown":
      return renderMarkdown(r);
    case "html":
      return renderHtml(r);
    default:
      return renderText(r);
  }
}
