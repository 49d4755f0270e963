/**
 * When no provider's format is recognized (core's detectProvider), the diagnostic is format-neutral:
 * PG-IMPORT-SYNTAX (some file does not parse) or PG-IMPORT-UNKNOWN-FORMAT (codes in schema's
 * REPAIR_CODES table of import codes).
 */
import type { NativeFile } from "@pipeglot/core";
import { load, type Diagnostic } from "@pipeglot/schema";

/** The first YAML/JSON syntax error among the files, positioned; undefined when all parse. */
function syntaxError(files: readonly NativeFile[]): Diagnostic | undefined {
  for (const f of files) {
    // The neutral loader's YAML reading (a file of several documents is not a syntax error here).
    const e = load(f.content, { file: f.path }).diagnostics.find((d) => d.code === "PG-YAML-SYNTAX" && !/multiple documents/.test(d.message));
    if (e)
      return {
        ...e,
        code: "PG-IMPORT-SYNTAX",
        message: `${f.path} does not parse (${e.message}), and neither its name nor its text says which provider's format it is in; pass --from aws|azure|gcp|oci`,
      };
  }
  return undefined;
}

/** The format-neutral diagnostic for files no provider recognizes. */
export function undetected(files: readonly NativeFile[], shown: readonly string[]): Diagnostic {
  const syntax = syntaxError(files);
  if (syntax) return syntax;
  // A pipeglot definition never gets here: import refuses it and translate reads it (native-files.ts).
  const message = `cannot tell which provider's format ${shown.join(", ")} is in; pass --from aws|azure|gcp|oci`;
  return { severity: "error", code: "PG-IMPORT-UNKNOWN-FORMAT", message, path: "", ...(files[0] ? { file: files[0].path, line: 1, column: 1 } : {}) };
}
