/**
 * Line diffs of texts in unified format (`diff -u`, `git diff`), computed by jsdiff (npm `diff`):
 * for resources whose body is text (files the pipeline reads from the repository) and for the
 * multi-line strings inside a body (buildspecs, build specs, inline YAML, scripts). Computed by
 * the plan or the renderer from the bodies; renderers print it.
 */
import { structuredPatch, type StructuredPatchHunk } from "diff";

/** `@@ -l,s +l,s @@` of a hunk (an empty side starts at the line before it, as diff prints it). */
const header = (h: StructuredPatchHunk): string =>
  `@@ -${h.oldLines ? h.oldStart : h.oldStart - 1},${h.oldLines} +${h.newLines ? h.newStart : h.newStart - 1},${h.newLines} @@`;

/**
 * The hunks of `before` → `after` with `context` lines around each change, as text lines (a
 * header line, then " ", "-" or "+" lines, and "\ No newline at end of file" where one side lacks
 * the final newline); [] when the texts are equal.
 */
export function diffHunks(before: string, after: string, context = 3): string[] {
  if (before === after) return [];
  const patch = structuredPatch("a", "b", before, after, undefined, undefined, { context });
  return patch.hunks.flatMap((h) => [header(h), ...h.lines]);
}

/**
 * `before` → `after` as a unified diff with `context` lines around each change; "" when the texts
 * are equal. `before` undefined is a new file (`--- /dev/null`), `after` undefined a removed one.
 */
export function unifiedDiff(before: string | undefined, after: string | undefined, path: string, context = 3): string {
  if (before === after) return "";
  const lines = [before === undefined ? "--- /dev/null" : `--- a/${path}`, after === undefined ? "+++ /dev/null" : `+++ b/${path}`];
  lines.push(...diffHunks(before ?? "", after ?? "", context));
  return lines.join("\n") + "\n";
}

/** A string worth a line diff rather than one quoted value: it holds a line break. */
export const isMultiline = (v: unknown): v is string => typeof v === "string" && v.includes("\n");
