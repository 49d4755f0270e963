/**
 * Which provider's format a set of native files is in: each provider's detect() on the content,
 * and each provider's default file names (ProviderBase.fileNames: a file so named that does not
 * parse is still that provider's, and its error gets that provider's code). A neutral pipeglot
 * definition (`pipeglot:` at the top) is nobody's format. Used by import/translate (the CLI) and
 * audit alike.
 */
import type { NativeFile, ProviderBase } from "./provider.js";

/** The score a file gets from its name alone. */
export const NAMED_SCORE = 0.95;

const NEUTRAL_DOC = /^pipeglot\s*:/m;
const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

/** True for a neutral pipeglot definition (import reads native files, not these). */
export const isNeutralDocument = (f: NativeFile): boolean => NEUTRAL_DOC.test(f.content);

function scoreOf(p: ProviderBase, f: NativeFile): number {
  if (isNeutralDocument(f)) return 0;
  let score = 0;
  try {
    score = p.detect(f);
  } catch {
    /* a detector that cannot read a file does not claim it */
  }
  const named = p.fileNames?.test(baseName(f.path)) ?? false;
  return named ? Math.max(score, NAMED_SCORE) : score;
}

/** The provider whose detection scores the files highest (at least `threshold`); undefined when none recognizes them. */
export function detectProvider<P extends ProviderBase>(
  providers: readonly P[],
  files: readonly NativeFile[],
  threshold = Number.MIN_VALUE,
): { provider: P; score: number } | undefined {
  let best: { provider: P; score: number } | undefined;
  for (const p of providers) {
    const score = Math.max(0, ...files.map((f) => scoreOf(p, f)));
    if (score >= threshold && score > 0 && (!best || score > best.score)) best = { provider: p, score };
  }
  return best;
}
