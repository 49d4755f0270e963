/**
 * Semantic checks for a document the schema rejected: so that one run reports a typo *and* a bad
 * `needs`, not one after the other. The parts the schema rejected are set aside (a stage with any
 * schema problem becomes a placeholder; a rejected top-level key is dropped or given a placeholder),
 * the rest is checked, and only findings that cannot be artefacts of what was set aside are kept.
 */
import { parsePointer, type Diagnostic } from "./diagnostics.js";
import { PipelineDocumentSchema } from "./document.js";
import { normalize } from "./normalize.js";
import type { SourceMap } from "./source-map.js";
import { runChecks } from "./checks/index.js";

type Json = Record<string, unknown>;

const PLACEHOLDERS: Record<string, unknown> = { pipeglot: 1, name: "salvaged", source: { repository: "salvaged/salvaged" } };

/** Findings that depend on the whole pipeline: dropped when any part they read was set aside. */
const DEPENDS_ON: Record<string, (t: Taint) => boolean> = {
  // A set-aside stage no longer produces its artifacts.
  "PG-ARTIFACT-UNKNOWN": (t) => t.stages.size > 0,
  "PG-ARTIFACT-ORDER": (t) => t.stages.size > 0,
  // A set-aside stage keeps its name when it had a valid one; otherwise `needs` may name it.
  "PG-NEEDS-UNKNOWN": (t) => t.renamed,
  "PG-EXPR-UNKNOWN-VAR": (t) => t.keys.has("variables") || t.keys.has("secrets"),
  "PG-EXPR-UNKNOWN-SECRET": (t) => t.keys.has("secrets") || t.keys.has("variables"),
  "PG-DUPLICATE-NAME": (t) => t.keys.has("variables") || t.keys.has("secrets"),
};

interface Taint {
  stages: Set<number>;
  keys: Set<string>;
  /** A set-aside stage had no valid name and got a placeholder one. */
  renamed: boolean;
}

export function salvageChecks(data: unknown, schemaDiagnostics: readonly Diagnostic[], sourceMap: SourceMap): Diagnostic[] {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return [];
  const doc = structuredClone(data) as Json;
  const taint: Taint = { stages: new Set(), keys: new Set(), renamed: false };
  for (const d of schemaDiagnostics) {
    const [top, index] = parsePointer(d.path);
    if (top === undefined) return [];
    if (top === "stages" && index !== undefined && /^\d+$/.test(index)) taint.stages.add(Number(index));
    else taint.keys.add(top);
  }
  for (const k of taint.keys) {
    if (k === "stages") return [];
    if (k in PLACEHOLDERS) doc[k] = PLACEHOLDERS[k];
    else delete doc[k];
  }
  if (!Array.isArray(doc.stages)) return [];
  doc.stages = (doc.stages as unknown[]).map((s, i) => {
    if (!taint.stages.has(i)) return s;
    const st = (s && typeof s === "object" ? s : {}) as Json;
    const valid = typeof st.name === "string" && st.name !== "";
    if (!valid) taint.renamed = true;
    const name = valid ? (st.name as string) : `salvaged-${i}`;
    const needs = Array.isArray(st.needs) && st.needs.every((n) => typeof n === "string") ? { needs: st.needs } : {};
    return { name, ...needs, jobs: [{ name: "salvaged", steps: [{ run: "true" }] }] };
  });
  const parsed = PipelineDocumentSchema.safeParse(doc);
  if (!parsed.success) return [];
  let out: Diagnostic[];
  try {
    out = runChecks(parsed.data, normalize(parsed.data), sourceMap);
  } catch {
    return [];
  }
  return out.filter((d) => {
    const [top, index] = parsePointer(d.path);
    if (top !== undefined && taint.keys.has(top)) return false;
    if (top === "stages" && index !== undefined && taint.stages.has(Number(index))) return false;
    return !DEPENDS_ON[d.code]?.(taint);
  });
}
