import type { Diagnostic } from "../diagnostics.js";
import type { PipelineDocument } from "../document.js";
import type { PipelineIR } from "../ir.js";
import type { SourceMap } from "../source-map.js";
import { CODES, type SchemaCode } from "../codes.js";

export interface CheckContext {
  doc: PipelineDocument;
  ir: PipelineIR;
  sourceMap: SourceMap;
  report(code: SchemaCode, ptr: string, message: string, opts?: { hint?: string; key?: boolean; needle?: string }): void;
  /** "line:col" of a pointer, for messages that name another location. */
  where(ptr: string): string;
}

export interface Check {
  name: string;
  description: string;
  run(ctx: CheckContext): void;
}

export function makeContext(doc: PipelineDocument, ir: PipelineIR, sourceMap: SourceMap, out: Diagnostic[]): CheckContext {
  return {
    doc,
    ir,
    sourceMap,
    report(code, ptr, message, opts = {}) {
      const pos = opts.needle ? sourceMap.locateInString(ptr, opts.needle) : sourceMap.locate(ptr, { key: opts.key ?? false });
      out.push({ severity: CODES[code].severity, code, message, path: ptr, ...pos, ...(opts.hint ? { hint: opts.hint } : {}) });
    },
    where(ptr) {
      const p = sourceMap.locate(ptr);
      return `${p.line}:${p.column}`;
    },
  };
}
