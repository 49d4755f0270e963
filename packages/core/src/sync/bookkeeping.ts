/**
 * pipeglot's ownership bookkeeping inside a resource body: the managed-by, pipeline and source-hash
 * markers (kit/ownership.ts) in every form a provider writes them (tag maps, key/value tag lists,
 * label lists, properties). A plan keeps their differences (JSON has them, apply writes them) but
 * marks them, so that the human views can leave them out.
 */
import { OWNERSHIP } from "./kit/ownership.js";
import type { DiffEntry } from "./types.js";

/** Keys that name a marker: a tag map's key, a tag entry's key, a property's name. */
const MARKER_KEYS: ReadonlySet<string> = new Set([
  ...Object.values(OWNERSHIP.keyed),
  ...Object.values(OWNERSHIP.dashed),
  OWNERSHIP.property.managedBy,
  OWNERSHIP.property.pipeline,
  OWNERSHIP.property.hash,
]);

/** A label-form marker (a tag list of single strings). */
const isMarkerLabel = (v: unknown): boolean =>
  typeof v === "string" && (v === OWNERSHIP.label.managedBy || v.startsWith(OWNERSHIP.label.pipelinePrefix) || v.startsWith(OWNERSHIP.label.hashPrefix));

/** The name of a key/value tag entry ({key, value}, {Key, Value}, {name, value}). */
function entryName(v: unknown): string | undefined {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const name = o.key ?? o.Key ?? o.name ?? o.Name;
  return typeof name === "string" ? name : undefined;
}

const at = (body: unknown, path: readonly (string | number)[]): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[k] : undefined), body);

/** Is this difference one of pipeglot's ownership markers? `before` and `after` are the whole bodies. */
export function isBookkeeping(d: DiffEntry, before: unknown, after: unknown): boolean {
  const last = d.path.at(-1);
  if (last === undefined) return false;
  if (typeof last === "string" && MARKER_KEYS.has(last)) return true;
  const value = d.type === "remove" ? d.before : d.after;
  if (typeof last === "number") {
    if (isMarkerLabel(value) || (d.type === "change" && isMarkerLabel(d.before))) return true;
    const name = entryName(value) ?? (d.type === "change" ? entryName(d.before) : undefined);
    return name !== undefined && MARKER_KEYS.has(name);
  }
  if (last === "value" || last === "Value") {
    const parent = d.path.slice(0, -1);
    const name = entryName(at(after, parent)) ?? entryName(at(before, parent));
    return name !== undefined && MARKER_KEYS.has(name);
  }
  return false;
}

/** The entries with their bookkeeping ones marked. */
export function markBookkeeping(entries: DiffEntry[], before: unknown, after: unknown): DiffEntry[] {
  return entries.map((d) => (isBookkeeping(d, before, after) ? { ...d, bookkeeping: true } : d));
}
