/** Reading native files: JSON or YAML (with CloudFormation short-form tags), with positions. */
import { LineCounter, parseDocument } from "yaml";
import { yamlSourceMap, type Diagnostic, type Position, type SourceMap } from "@pipeglot/schema";
import type { NativeFile } from "@pipeglot/core";
import { CFN_TAGS } from "../native/cloudformation.js";
import { CODES, type AwsCode } from "../diagnostics.js";
import { duplicateKeyDiagnostics, duplicateKeys, isObject, type KeyPosition } from "@pipeglot/core";

/** The code of a key given twice (a file's, or an inline buildspec's). */
export const DUPLICATE_KEY: AwsCode = "PG-AWS-IMPORT-DUPLICATE-KEY";

/** A diagnostic with its code's severity from the table, at a position worked out already. */
export function diagnosticAt(code: AwsCode, message: string, pos?: { file: string; line: number; column: number }): Diagnostic {
  return { severity: CODES[code].severity, code, message, path: "", ...(pos ? { file: pos.file, line: pos.line, column: pos.column } : {}) };
}

export interface Parsed {
  file: NativeFile;
  data: unknown;
  map: SourceMap;
  error?: Diagnostic;
  warning?: Diagnostic;
  /** Keys a mapping holds twice (errors: the file is not imported, see duplicateKeys). */
  duplicates: Diagnostic[];
}

export function parseNative(file: NativeFile): Parsed {
  const first = parseText(file, file.content);
  // A copy of CLI output without its outer braces (`"pipeline": {...}`): read it as one object.
  if (first.error && /^\s*"[^"]+"\s*:/.test(file.content)) {
    const again = [`{${file.content}`, `{${file.content}\n}`].map((t) => parseText(file, t, 1)).find((x) => !x.error);
    if (again) {
      const pos = first.map.locate("");
      return {
        ...again,
        map: first.map,
        warning: diagnosticAt("PG-AWS-IMPORT-REPAIRED", "the file holds JSON object members without the enclosing { }; read them as one object", {
          file: file.path,
          line: pos.line,
          column: pos.column,
        }),
      };
    }
  }
  return first;
}

/** `shift`: characters added before the file's first line (a repaired `{`). */
function parseText(file: NativeFile, text: string, shift = 0): Parsed {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, customTags: CFN_TAGS, prettyErrors: false, uniqueKeys: false, strict: false });
  const map = yamlSourceMap(file.path, text, doc, lc);
  const err = doc.errors[0];
  if (err) {
    const p = lc.linePos(err.pos[0]);
    return {
      file,
      data: undefined,
      map,
      duplicates: [],
      error: diagnosticAt("PG-AWS-IMPORT-PARSE", `not valid JSON or YAML: ${err.message.split("\n")[0]}`, { file: file.path, line: p.line, column: p.col }),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return {
      file,
      data: undefined,
      map,
      duplicates: [],
      error: diagnosticAt("PG-AWS-IMPORT-PARSE", (e as Error).message, { file: file.path, line: 1, column: 1 }),
    };
  }
  const offset = (p: KeyPosition): KeyPosition =>
    p.line === 1 ? { ...p, column: p.column - shift, endColumn: p.endLine === 1 ? p.endColumn - shift : p.endColumn } : p;
  const duplicates = duplicateKeyDiagnostics(duplicateKeys(doc, lc), { file: file.path, code: DUPLICATE_KEY, outcome: "the file is not imported", offset });
  return { file, data, map, duplicates };
}

export type Kind = "declaration" | "cloudformation" | "projects" | "project" | "buildspec" | "transitions" | "state" | "unknown";

export function classify(data: unknown): { kind: Kind; score: number } {
  if (Array.isArray(data)) {
    if (data.length && data.every((t) => isObject(t) && typeof t.stageName === "string" && "enabled" in t)) return { kind: "transitions", score: 0.6 };
    return { kind: "unknown", score: 0 };
  }
  if (!isObject(data)) return { kind: "unknown", score: 0 };
  if (isObject(data.pipeline) && Array.isArray(data.pipeline.stages)) return { kind: "declaration", score: 0.95 };
  if (Array.isArray(data.stages) && typeof data.roleArn === "string") return { kind: "declaration", score: 0.9 };
  if (isObject(data.Resources)) {
    const types = Object.values(data.Resources).map((r) => (isObject(r) ? r.Type : undefined));
    if (types.includes("AWS::CodePipeline::Pipeline")) return { kind: "cloudformation", score: 0.95 };
    if (types.includes("AWS::CodeBuild::Project")) return { kind: "cloudformation", score: 0.6 };
    return { kind: "unknown", score: 0.05 };
  }
  if (Array.isArray(data.projects) && data.projects.every((p) => isObject(p) && isObject(p.environment))) return { kind: "projects", score: 0.85 };
  if (typeof data.name === "string" && isObject(data.source) && isObject(data.environment)) return { kind: "project", score: 0.8 };
  if (Array.isArray(data.stageStates)) return { kind: "state", score: 0.6 };
  if (
    (data.version === 0.2 || data.version === 0.1 || data.version === "0.2" || data.version === "0.1") &&
    (isObject(data.phases) || isObject(data.batch) || isObject(data.env))
  )
    return { kind: "buildspec", score: 0.85 };
  return { kind: "unknown", score: 0 };
}

/** IR pointers → (file, native pointer); positions come from each file's YAML source map. */
export class ImportMap implements SourceMap {
  private readonly entries = new Map<string, { map: SourceMap; ptr: string }>();
  constructor(readonly file: string) {}
  set(irPtr: string, map: SourceMap, nativePtr: string) {
    this.entries.set(irPtr, { map, ptr: nativePtr });
  }
  private find(ptr: string) {
    let p = ptr;
    for (;;) {
      const e = this.entries.get(p);
      if (e) return e;
      if (p === "") return undefined;
      p = p.slice(0, p.lastIndexOf("/"));
    }
  }
  locate(ptr: string): Position {
    const e = this.find(ptr);
    return e ? e.map.locate(e.ptr) : { file: this.file, line: 1, column: 1 };
  }
  locateInString(ptr: string): Position {
    return this.locate(ptr);
  }
}

/** A reporter for import: positions point into the native file. */
export function importReporter(out: Diagnostic[]) {
  const report = (code: AwsCode, map: SourceMap, nativePtr: string, message: string, irPath = "", hint?: string) => {
    const pos = map.locate(nativePtr);
    out.push({ severity: CODES[code].severity, code, message, path: irPath, file: pos.file, line: pos.line, column: pos.column, ...(hint ? { hint } : {}) });
  };
  /** A diagnostic whose position is already worked out. */
  const add = (d: Diagnostic) => void out.push(d);
  return Object.assign(report, { add });
}
export type ImportReport = ReturnType<typeof importReporter>;
