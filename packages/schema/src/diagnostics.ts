/**
 * One diagnostic shape for every part of pipeglot, and the text/JSON renderings users see.
 */
import { compareText } from "./order.js";

export type Severity = "error" | "warning" | "info";

export interface Diagnostic {
  severity: Severity;
  /** Stable code, e.g. PG-SCHEMA-TYPE or PG-AWS-STAGE-SERIALIZED. */
  code: string;
  message: string;
  /** JSON pointer into the document the diagnostic is about (RFC 6901), "" for the root. */
  path: string;
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  endLine?: number;
  endColumn?: number;
  hint?: string;
}

export interface Result<T> {
  value: T;
  diagnostics: Diagnostic[];
}

export const hasErrors = (diags: readonly Diagnostic[]): boolean => diags.some((d) => d.severity === "error");

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Sort by file, line, column, severity, code, message; drop exact duplicates. Deterministic. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  const sorted = [...diags].sort(
    (a, b) =>
      compareText(a.file ?? "", b.file ?? "") ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      severityRank[a.severity] - severityRank[b.severity] ||
      compareText(a.code, b.code) ||
      compareText(a.path, b.path) ||
      compareText(a.message, b.message),
  );
  const out: Diagnostic[] = [];
  let prev = "";
  for (const d of sorted) {
    const key = JSON.stringify(d);
    if (key !== prev) out.push(d);
    prev = key;
  }
  return out;
}

/** JSON pointer (RFC 6901) from path segments. */
export function pointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

/** Path segments from a JSON pointer. */
export function parsePointer(ptr: string): string[] {
  if (ptr === "") return [];
  return ptr
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export interface FormatOptions {
  /** The source text of each file, to print the offending line and a caret. */
  sources?: ReadonlyMap<string, string>;
  /** Colour functions (e.g. from picocolors); plain text when absent. */
  colors?: { error(s: string): string; warning(s: string): string; info(s: string): string; caret(s: string): string; dim(s: string): string };
}

/** The lines of the text last formatted (thousands of diagnostics in one file split it once). */
let cached: { text: string; lines: string[] } | undefined;
function linesOf(text: string): string[] {
  if (cached?.text !== text) cached = { text, lines: text.split(/\r?\n/) };
  return cached.lines;
}

/**
 * `file:line:col: severity CODE message`, then the source line and a caret, then the hint.
 */
export function formatDiagnostic(d: Diagnostic, opts: FormatOptions = {}): string {
  const c = opts.colors;
  const where = d.file ? `${d.file}:${d.line ?? 1}:${d.column ?? 1}: ` : d.path ? `${d.path}: ` : "";
  const sev = c ? c[d.severity](d.severity) : d.severity;
  const lines = [`${where}${sev} ${d.code} ${d.message}`];
  const text = d.file ? opts.sources?.get(d.file) : undefined;
  if (text !== undefined && d.line) {
    const src = linesOf(text)[d.line - 1];
    // eslint-disable-next-line no-control-regex -- a line with control bytes is not shown (binary input).
    if (src !== undefined && src.trim() !== "" && !/[\u0000-\u0008\u000e-\u001f]/.test(src)) {
      const shown = src.length > 200 ? src.slice(0, 200) + "…" : src;
      lines.push(`  ${shown.replace(/\t/g, " ")}`);
      const col = Math.max(1, Math.min(d.column ?? 1, shown.length + 1));
      const width = d.endLine === d.line && d.endColumn && d.endColumn > col ? Math.min(d.endColumn - col, shown.length - col + 1) : 1;
      lines.push(`  ${" ".repeat(col - 1)}${(c ? c.caret : (s: string) => s)("^".repeat(Math.max(1, width)))}`);
    }
  }
  if (d.hint) lines.push(`  ${c ? c.dim("hint:") : "hint:"} ${d.hint}`);
  return lines.join("\n");
}

export function summarize(diags: readonly Diagnostic[]): string {
  const e = diags.filter((d) => d.severity === "error").length;
  const w = diags.filter((d) => d.severity === "warning").length;
  const plural = (n: number, s: string) => `${n} ${s}${n === 1 ? "" : "s"}`;
  return `${plural(e, "error")}, ${plural(w, "warning")}`;
}
