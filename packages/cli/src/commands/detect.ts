/**
 * Which provider's format a set of native files is in: each provider's detect() on the content,
 * and the tools' default file names (so that a cloudbuild.yaml with a syntax error is still Cloud
 * Build's, and its error gets Cloud Build's code). A neutral pipeglot definition (`pipeglot:` at
 * the top) is nobody's format. When nothing is recognized the diagnostic is format-neutral:
 * PG-IMPORT-SYNTAX (some file does not parse) or PG-IMPORT-UNKNOWN-FORMAT.
 */
import type { NativeFile, Provider } from "@pipeglot/core";
import { load, type CodeInfo, type Diagnostic } from "@pipeglot/schema";
import { FILE_NAMES } from "../registry.js";

/** Format-neutral codes of import/translate when no provider's format is recognized. */
export const DETECT_CODES = {
  "PG-IMPORT-SYNTAX": { severity: "error", summary: "A native file does not parse as YAML or JSON, and neither its name nor its text says which provider's format it is in." },
  "PG-IMPORT-UNKNOWN-FORMAT": { severity: "error", summary: "No provider recognizes the files (or they are a pipeglot definition already); pass --from to choose one." },
} as const satisfies Record<string, CodeInfo>;

/** The score a file gets from its name alone. */
export const NAMED_SCORE = 0.95;

const NEUTRAL_DOC = /^pipeglot\s*:/m;
const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

/** True for a neutral pipeglot definition (import reads native files, not these). */
export const isNeutralDocument = (f: NativeFile): boolean => NEUTRAL_DOC.test(f.content);

function scoreOf(p: Provider, f: NativeFile): number {
  if (isNeutralDocument(f)) return 0;
  let score = 0;
  try {
    score = p.detect(f);
  } catch {
    /* a detector that cannot read a file does not claim it */
  }
  const named = FILE_NAMES[p.id as keyof typeof FILE_NAMES]?.test(baseName(f.path)) ?? false;
  return named ? Math.max(score, NAMED_SCORE) : score;
}

/** The provider whose detection scores the files highest; undefined when none recognizes them. */
export function detectProvider(providers: readonly Provider[], files: readonly NativeFile[]): { provider: Provider; score: number } | undefined {
  let best: { provider: Provider; score: number } | undefined;
  for (const p of providers) {
    const score = Math.max(0, ...files.map((f) => scoreOf(p, f)));
    if (score > 0 && (!best || score > best.score)) best = { provider: p, score };
  }
  return best;
}

/** The first YAML/JSON syntax error among the files, positioned; undefined when all parse. */
function syntaxError(files: readonly NativeFile[]): Diagnostic | undefined {
  for (const f of files) {
    // The neutral loader's YAML reading (a file of several documents is not a syntax error here).
    const e = load(f.content, { file: f.path }).diagnostics.find((d) => d.code === "PG-YAML-SYNTAX" && !/multiple documents/.test(d.message));
    if (e) return { ...e, code: "PG-IMPORT-SYNTAX", message: `${f.path} does not parse (${e.message}), and neither its name nor its text says which provider's format it is in; pass --from aws|azure|gcp|oci` };
  }
  return undefined;
}

/** The format-neutral diagnostic for files no provider recognizes. */
export function undetected(files: readonly NativeFile[], shown: readonly string[]): Diagnostic {
  const syntax = syntaxError(files);
  if (syntax) return syntax;
  const neutral = files.find(isNeutralDocument);
  const message = neutral
    ? `${neutral.path} is a pipeglot definition already (pipeglot: at the top); import reads native pipeline files (use validate or compile on this one)`
    : `cannot tell which provider's format ${shown.join(", ")} is in; pass --from aws|azure|gcp|oci`;
  return { severity: "error", code: "PG-IMPORT-UNKNOWN-FORMAT", message, path: "", ...(files[0] ? { file: files[0].path, line: 1, column: 1 } : {}) };
}
