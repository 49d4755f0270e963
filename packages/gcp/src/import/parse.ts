/**
 * Reading Cloud Build files: YAML or JSON (one or more documents), snake_case keys accepted
 * (Cloud Build reads them; the API names are camelCase), with a source map per file.
 */
import { LineCounter, parseAllDocuments } from "yaml";
import { yamlSourceMap, type Diagnostic, type SourceMap } from "@pipeglot/schema";
import { camelize } from "../native/build.js";
import { duplicateKeyDiagnostics, duplicateKeys, type KeyPosition } from "@pipeglot/core";
import { lenientText, type Leniency } from "./lenient.js";
import type { GcbCode } from "../diagnostics.js";

/** The code of a key given twice. */
export const DUPLICATE_KEY: GcbCode = "PG-GCB-IMPORT-DUPLICATE-KEY";

export type Json = Record<string, unknown>;

interface ParsedDoc {
  file: string;
  /** Index of the document in a multi-document file. */
  index: number;
  value: unknown;
  sm: SourceMap;
}

interface ParseResult {
  docs: ParsedDoc[];
  errors: { file: string; line: number; column: number; message: string }[];
  /** Where the text was read as Google reads it rather than as strict YAML 1.2 (see lenient.ts). */
  lenient: (Leniency & { file: string })[];
  /** Keys a mapping holds twice (PG-GCB-IMPORT-DUPLICATE-KEY errors, at both positions): the import stops. */
  duplicates: Diagnostic[];
}

export function parseFile(file: string, given: string): ParseResult {
  const { text, applied } = lenientText(given);
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false });
  const out: ParseResult = { docs: [], errors: [], lenient: applied.map((a) => ({ ...a, file })), duplicates: [] };
  const offset = originalColumns(given, text);
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, index) => {
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      const p = lc.linePos(e.pos[0]);
      out.errors.push({ file, line: p.line, column: p.col, message: e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "") });
      return;
    }
    out.duplicates.push(
      ...duplicateKeyDiagnostics(duplicateKeys(doc, lc, sameKey), { file, code: DUPLICATE_KEY, outcome: "the build is not imported", offset }),
    );
    const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    if (value === null || value === undefined) return;
    out.docs.push({ file, index, value, sm: yamlSourceMap(file, text, doc, lc) });
  });
  return out;
}

/**
 * Positions in the lenient text → in the given text. Lines never move; on a line that was
 * rewritten, a column after the rewrite keeps its distance from the end of the line.
 */
function originalColumns(given: string, text: string): (p: KeyPosition) => KeyPosition {
  if (given === text) return (p) => p;
  const before = given.split("\n");
  const after = text.split("\n");
  const col = (line: number, column: number): number => {
    const g = before[line - 1] ?? "";
    const t = after[line - 1] ?? "";
    const rest = t.slice(column - 1);
    return g === t || !g.endsWith(rest) ? column : g.length - rest.length + 1;
  };
  return (p) => ({ ...p, column: col(p.line, p.column), endColumn: col(p.endLine, p.endColumn) });
}

const KEEP_KEYS = new Set(["substitutions", "secretEnv", "envMap"]);

/** The key camelizeKeys makes of `key` (so `wait_for` and `waitFor` in one step are one key given twice). */
function sameKey(key: string, path: readonly (string | number)[]): string {
  const parent = [...path].reverse().find((x): x is string => typeof x === "string");
  return parent !== undefined && KEEP_KEYS.has(camelize(parent)) ? key : camelize(key);
}

/** camelCase every object key, except the keys of maps whose keys are data (substitutions, secret env maps). */
export function camelizeKeys(v: unknown, parentKey = ""): unknown {
  if (Array.isArray(v)) return v.map((x) => camelizeKeys(x, parentKey));
  if (v && typeof v === "object") {
    if (KEEP_KEYS.has(parentKey) && !Array.isArray(v)) return { ...(v as Json) };
    return Object.fromEntries(
      Object.entries(v as Json).map(([k, x]) => {
        const ck = camelize(k);
        return [ck, camelizeKeys(x, ck)];
      }),
    );
  }
  return v;
}
export const strList = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x)) : typeof v === "string" ? [v] : []);
