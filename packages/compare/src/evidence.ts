/**
 * Which compile diagnostics are evidence for a feature: those with the capability's code that are
 * about a place where the pipeline uses the feature. A code can cover several features (one provider's
 * diagnostic names a step's emulated timeout and retries), so the code alone is not enough: the
 * diagnostic's pointer must be a use of the feature, inside one, or the element that holds one.
 */
import type { Diagnostic } from "@pipeglot/schema";

/** `a` is `b` or an ancestor of it (JSON pointers, segment-wise). */
const within = (ancestor: string, p: string) => p === ancestor || p.startsWith(ancestor.endsWith("/") ? ancestor : `${ancestor}/`);

/** Whether a diagnostic at `path` is about one of the feature's uses (`uses`: JSON pointers). */
export function isAbout(path: string, uses: readonly string[]): boolean {
  const p = path === "/" ? "" : path;
  if (!p) return false;
  return uses.some((u) => within(p, u) || within(u, p));
}

/** The diagnostics with `code` that are about one of `uses`, each message once. */
export function evidenceFor(code: string | undefined, uses: readonly string[], diagnostics: readonly Diagnostic[]): Diagnostic[] {
  if (!code) return [];
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    if (d.code !== code || !isAbout(d.path, uses) || seen.has(d.message)) return false;
    seen.add(d.message);
    return true;
  });
}
