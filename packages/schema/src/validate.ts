/**
 * The whole front end: text → document → IR, with every problem reported (not just the first).
 */
import { readFile, stat } from "node:fs/promises";
import { runChecks } from "./checks/index.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import type { PipelineDocument } from "./document.js";
import type { PipelineIR } from "./ir.js";
import { load, type LoadOptions } from "./load.js";
import { normalize } from "./normalize.js";
import { salvageChecks } from "./salvage.js";
import { flatSourceMap, type SourceMap } from "./source-map.js";
import { firstInvalidUtf8, inputTooLarge, MAX_INPUT_BYTES, positionOf } from "./encoding.js";

export interface ValidateResult {
  document?: PipelineDocument;
  /** Present when there are no errors. */
  ir?: PipelineIR;
  diagnostics: Diagnostic[];
  sourceMap: SourceMap;
  /** The text that was read, for printing source lines under diagnostics. */
  text: string;
}

/** Semantic checks on a schema-valid document. */
export function check(doc: PipelineDocument, ir: PipelineIR, sourceMap: SourceMap): Diagnostic[] {
  return sortDiagnostics(runChecks(doc, ir, sourceMap));
}

export function validate(text: string, opts: LoadOptions = {}): ValidateResult {
  const loaded = load(text, opts);
  if (!loaded.document) {
    // Schema errors: still run the checks on what the schema accepted, so that one run reports all.
    const more = loaded.data !== undefined ? salvageChecks(loaded.data, loaded.diagnostics, loaded.sourceMap) : [];
    return { diagnostics: sortDiagnostics([...loaded.diagnostics, ...more]), sourceMap: loaded.sourceMap, text };
  }
  const ir = normalize(loaded.document);
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...check(loaded.document, ir, loaded.sourceMap)]);
  return { document: loaded.document, ...(hasErrors(diagnostics) ? {} : { ir }), diagnostics, sourceMap: loaded.sourceMap, text };
}

/** Read and validate a file. A file that cannot be read is a diagnostic, not an exception. */
export async function validateFile(file: string): Promise<ValidateResult> {
  let text: string;
  try {
    // The size first, from the file system: a file too large is never read, let alone parsed.
    const size = (await stat(file)).size;
    if (size > MAX_INPUT_BYTES) return { diagnostics: [inputTooLarge(file, size)], sourceMap: flatSourceMap(file), text: "" };
    const buf = await readFile(file);
    const problem = inputProblem(buf, file);
    if (problem) return { diagnostics: [problem], sourceMap: flatSourceMap(file), text: problem.code === "PG-INPUT-ENCODING" ? buf.toString("utf8") : "" };
    text = buf.toString("utf8");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === "ENOENT" ? "no such file" : err.code === "EISDIR" ? "is a folder, not a file" : err.code === "EACCES" ? "permission denied" : err.message;
    return {
      diagnostics: [{ severity: "error", code: "PG-INPUT-UNREADABLE", message: `cannot read ${file}: ${why}`, path: "", file, line: 1, column: 1 }],
      sourceMap: flatSourceMap(file),
      text: "",
    };
  }
  return validate(text, { file });
}

/** A file too large, or not UTF-8: one positioned error, before any parsing. */
function inputProblem(buf: Buffer, file: string): Diagnostic | undefined {
  if (buf.length > MAX_INPUT_BYTES) return inputTooLarge(file, buf.length);
  if (buf.includes(0)) return undefined; // binary: load() says so
  const bad = firstInvalidUtf8(buf);
  if (bad < 0) return undefined;
  const pos = positionOf(buf, bad);
  return {
    severity: "error",
    code: "PG-INPUT-ENCODING",
    message: `byte 0x${buf[bad]!.toString(16).padStart(2, "0")} at offset ${bad} is not UTF-8; save the file as UTF-8`,
    path: "",
    file,
    ...pos,
  };
}
