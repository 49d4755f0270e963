/**
 * Buildspec text → data. A buildspec inline in a project (`source.buildspec`, CloudFormation
 * `Source.BuildSpec`) is text inside the file: a key it holds twice is reported at both its
 * positions in that file (or, when the string's layout does not allow that, in the buildspec).
 */
import { LineCounter, parseDocument } from "yaml";
import { duplicateKeyDiagnostics, duplicateKeys, isObject, type KeyPosition } from "@pipeglot/core";
import type { SourceMap } from "@pipeglot/schema";
import type { Buildspec } from "../native/codebuild.js";
import { CFN_TAGS } from "../native/cloudformation.js";
import { DUPLICATE_KEY, type ImportReport } from "./parse.js";

interface BuildspecSource {
  report: ImportReport;
  map: SourceMap;
  /** Pointer of the project (CreateProjectInput, or CloudFormation Properties) holding the buildspec. */
  ptr: string;
  irPath: string;
}

/** `inline`: the text is a project's buildspec string, not a whole file (whose duplicates parseNative reported). */
export function readBuildspec(src: BuildspecSource, text: string, inline: boolean): Buildspec | undefined {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, customTags: CFN_TAGS, strict: false, uniqueKeys: false, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    src.report("PG-AWS-IMPORT-PARSE", src.map, src.ptr, `the buildspec does not parse: ${err.message.split("\n")[0]}`, src.irPath);
    return undefined;
  }
  if (inline) {
    const dups = duplicateKeys(doc, lc);
    if (dups.length) {
      for (const d of inlineDiagnostics(src, text, dups)) src.report.add(d);
      return undefined;
    }
  }
  try {
    const v: unknown = doc.toJS({ maxAliasCount: 1000 });
    return isObject(v) ? (v as Buildspec) : undefined;
  } catch (e) {
    src.report("PG-AWS-IMPORT-PARSE", src.map, src.ptr, `the buildspec does not parse: ${(e as Error).message.split("\n")[0]}`, src.irPath);
    return undefined;
  }
}

function inlineDiagnostics(src: BuildspecSource, text: string, dups: ReturnType<typeof duplicateKeys>) {
  const ptr = `${src.ptr}${src.ptr.startsWith("/Resources/") ? "/Source/BuildSpec" : "/source/buildspec"}`;
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  const offsetOf = (line: number, column: number) => (starts[line - 1] ?? 0) + column - 1;
  const inFile = (p: KeyPosition): KeyPosition | undefined => {
    const s = src.map.locateInValue?.(ptr, offsetOf(p.line, p.column));
    const e = src.map.locateInValue?.(ptr, offsetOf(p.endLine, p.endColumn));
    return s && e ? { line: s.line, column: s.column, endLine: e.line, endColumn: e.column } : undefined;
  };
  const placeable = dups.every((d) => inFile(d.first) && inFile(d.duplicate));
  const at = src.map.locate(ptr);
  const whole: KeyPosition = { line: at.line, column: at.column, endLine: at.endLine ?? at.line, endColumn: at.endColumn ?? at.column };
  return duplicateKeyDiagnostics(dups, {
    file: at.file,
    code: DUPLICATE_KEY,
    outcome: "nothing is imported",
    offset: (p) => (placeable ? inFile(p)! : whole),
    ...(placeable ? {} : { where: (p: KeyPosition) => `line ${p.line}, column ${p.column} of the buildspec` }),
  }).map((d) => ({ ...d, message: d.message.replace(/^duplicate key/, "inline buildspec: duplicate key") }));
}
