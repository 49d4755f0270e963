/**
 * Which provider's format a set of native files is in: each provider's detect() on the content,
 * and the tools' default file names (so that a cloudbuild.yaml with a syntax error is still Cloud
 * Build's, and its error gets Cloud Build's code). A neutral pipeglot definition (`pipeglot:` at
 * the top) is nobody's format. Used by import/translate (the CLI) and audit alike.
 */
import type { ProviderId } from "@pipeglot/schema";
import type { NativeFile, ProviderBase } from "./provider.js";

/** The tools' default file names: buildspec.yml, azure-pipelines.yml, cloudbuild.yaml, build_spec.yaml (and variants). */
export const FILE_NAMES: Record<ProviderId, RegExp> = {
  aws: /^buildspec[^/]*\.ya?ml$/i,
  azure: /^\.?azure-pipelines[^/]*\.ya?ml$/i,
  gcp: /cloudbuild[^/]*\.(ya?ml|json)$/i,
  oci: /build_spec[^/]*\.ya?ml$/i,
};

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
  const named = FILE_NAMES[p.id]?.test(baseName(f.path)) ?? false;
  return named ? Math.max(score, NAMED_SCORE) : score;
}

/** The provider whose detection scores the files highest (at least `threshold`); undefined when none recognizes them. */
export function detectProvider<P extends ProviderBase>(providers: readonly P[], files: readonly NativeFile[], threshold = Number.MIN_VALUE): { provider: P; score: number } | undefined {
  let best: { provider: P; score: number } | undefined;
  for (const p of providers) {
    const score = Math.max(0, ...files.map((f) => scoreOf(p, f)));
    if (score >= threshold && score > 0 && (!best || score > best.score)) best = { provider: p, score };
  }
  return best;
}
