/**
 * Reading Cloud Build files: YAML or JSON (one or more documents), snake_case keys accepted
 * (Cloud Build reads them; the API names are camelCase), with a source map per file.
 */
import { LineCounter, parseAllDocuments } from "yaml";
import { yamlSourceMap, type SourceMap } from "@pipeglot/schema";
import { camelize } from "../native/build.js";
import { isObject } from "@pipeglot/core";
import { lenientText, type Leniency } from "./lenient.js";

export type Json = Record<string, unknown>;

export interface ParsedDoc {
  file: string;
  /** Index of the document in a multi-document file. */
  index: number;
  value: unknown;
  sm: SourceMap;
}

export interface ParseResult {
  docs: ParsedDoc[];
  errors: { file: string; line: number; column: number; message: string }[];
  /** Where the text was read as Google reads it rather than as strict YAML 1.2 (see lenient.ts). */
  lenient: (Leniency & { file: string })[];
}

export function parseFile(file: string, given: string): ParseResult {
  const { text, applied } = lenientText(given);
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false });
  const out: ParseResult = { docs: [], errors: [], lenient: applied.map((a) => ({ ...a, file })) };
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, index) => {
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      const p = lc.linePos(e.pos[0]);
      out.errors.push({ file, line: p.line, column: p.col, message: e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "") });
      return;
    }
    const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    if (value === null || value === undefined) return;
    out.docs.push({ file, index, value, sm: yamlSourceMap(file, text, doc, lc) });
  });
  return out;
}

const KEEP_KEYS = new Set(["substitutions", "secretEnv", "envMap"]);

/** camelCase every object key, except the keys of maps whose keys are data (substitutions, secret env maps). */
export function camelizeKeys(v: unknown, parentKey = ""): unknown {
  if (Array.isArray(v)) return v.map((x) => camelizeKeys(x, parentKey));
  if (v && typeof v === "object") {
    if (KEEP_KEYS.has(parentKey) && !Array.isArray(v)) return { ...(v as Json) };
    return Object.fromEntries(Object.entries(v as Json).map(([k, x]) => {
      const ck = camelize(k);
      return [ck, camelizeKeys(x, ck)];
    }));
  }
  return v;
}

/** A map of snake_case spellings back to how they were written, to find positions. */
export function nativeKey(obj: unknown, camel: string): string {
  if (obj && typeof obj === "object") for (const k of Object.keys(obj as Json)) if (camelize(k) === camel) return k;
  return camel;
}

export const strList = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x)) : typeof v === "string" ? [v] : []);
