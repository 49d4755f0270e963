/**
 * One canonical shape for trigger bodies, so that "equal" means "in sync":
 *
 *  - desired bodies (what compile wrote) and live bodies (what the API answers) both go through
 *    `canonical()`, which drops what proto3 JSON treats as absent: `null`, `false`, `""`, `[]`
 *    and empty maps (`substitutions: {}`) as object members. The server never echoes them, so a
 *    `disabled: false` written by hand would otherwise show as a change forever.
 *  - live bodies also go through `normalizeLive()`: the output-only fields (`id`, `createTime`,
 *    `resourceName`) are dropped and numeric enums are turned back into names.
 *
 * Nothing else is rewritten: every other difference is a real one and shows in the plan.
 */
import { canonicalJson, isObject } from "@pipeglot/core";
import { createHash } from "node:crypto";

/** Set by the server; never part of a desired body. */
export const OUTPUT_ONLY = ["id", "createTime", "resourceName"] as const;

/** Map-typed fields: an empty map is absent. (Empty messages are kept: in a oneof they mean "set".) */
const MAP_FIELDS = new Set(["substitutions"]);

export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(value)) {
    if (raw === undefined || raw === null || raw === false || raw === "") continue;
    const v = canonical(raw);
    if (Array.isArray(v) && v.length === 0) continue;
    if (MAP_FIELDS.has(k) && isObject(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}

/** Numbers of enum fields → names, using the table from the client's protos. */
function enumsToNames(value: unknown, enums: Readonly<Record<string, Readonly<Record<string, number>>>>, path = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => enumsToNames(v, enums, path));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const p = path ? `${path}.${k}` : k;
    const table = enums[p];
    if (table) {
      const one = (x: unknown) => (typeof x === "number" ? (Object.keys(table).find((n) => table[n] === x) ?? x) : x);
      out[k] = Array.isArray(v) ? v.map(one) : one(v);
    } else out[k] = enumsToNames(v, enums, p);
  }
  return out;
}

/** Empty maps at the given paths (dotted, arrays walked through) removed. */
function dropEmptyMaps(value: unknown, maps: ReadonlySet<string>, path = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => dropEmptyMaps(v, maps, path));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const p = path ? `${path}.${k}` : k;
    if (maps.has(p) && isObject(v) && Object.keys(v).length === 0) continue;
    out[k] = dropEmptyMaps(v, maps, p);
  }
  return out;
}

interface LiveShape {
  enums?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  maps?: ReadonlySet<string>;
}

/**
 * A live BuildTrigger (REST JSON) in the shape desired bodies have: output-only fields dropped,
 * numeric enums named, empty maps (e.g. the `build.timing: {}` the Node client sends) dropped,
 * then canonical().
 */
export function normalizeLive(raw: Record<string, unknown>, shape: LiveShape = {}): Record<string, unknown> {
  const t = { ...raw };
  for (const k of OUTPUT_ONLY) delete t[k];
  return canonical(dropEmptyMaps(enumsToNames(t, shape.enums ?? {}), shape.maps ?? new Set())) as Record<string, unknown>;
}

/**
 * Cloud Build triggers have no version token (PROVIDERS.md §3.6): the token is a hash of the whole
 * live resource as read (output-only fields included), compared again right before each write.
 */
export function bodyHash(raw: unknown): string {
  return "sha256:" + createHash("sha256").update(canonicalJson(raw)).digest("hex").slice(0, 32);
}
