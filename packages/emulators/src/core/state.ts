/**
 * The emulators' state as JSON, for `pipeglot emulate --state FILE`. The file format is internal:
 * it may change between versions of pipeglot (a file of another version is refused, not guessed).
 * Maps, sets, dates and random generators are written as one-key objects tagged with a `$pipeglot:`
 * key, which no wire body uses.
 */
import { isObject, type Json, type JsonObject } from "./json.js";
import { Prng } from "./prng.js";

const MAP = "$pipeglot:map";
const SET = "$pipeglot:set";
const DATE = "$pipeglot:date";
const PRNG = "$pipeglot:prng";
export function encodeState(v: unknown): Json {
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (v instanceof Date) return { [DATE]: v.toISOString() };
  if (v instanceof Prng) return { [PRNG]: v.save() };
  if (v instanceof Map) return { [MAP]: [...v].map(([k, x]) => [encodeState(k), encodeState(x)]) };
  if (v instanceof Set) return { [SET]: [...v].map(encodeState) };
  if (Array.isArray(v)) return v.map(encodeState);
  if (typeof v === "object") {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = encodeState(x);
    return out;
  }
  throw new TypeError(`emulator state cannot hold a ${typeof v}`);
}

export function decodeState(v: Json): unknown {
  if (Array.isArray(v)) return v.map(decodeState);
  if (!isObject(v)) return v;
  const keys = Object.keys(v);
  if (keys.length === 1) {
    const tag = keys[0];
    const x = v[tag];
    if (tag === DATE && typeof x === "string") return new Date(x);
    if (tag === PRNG && typeof x === "number") return restored(x);
    if (tag === MAP && Array.isArray(x)) return new Map(x.map((e) => (Array.isArray(e) ? [decodeState(e[0]), decodeState(e[1])] : [undefined, undefined])));
    if (tag === SET && Array.isArray(x)) return new Set(x.map(decodeState));
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = decodeState(x);
  return out;
}

function restored(state: number): Prng {
  const p = new Prng(0);
  p.restore(state);
  return p;
}

/** Replace a map's entries with another's (the emulators' maps are readonly fields). */
export function refill<K, V>(target: Map<K, V>, source: unknown): void {
  target.clear();
  if (source instanceof Map) for (const [k, v] of source) target.set(k as K, v as V);
}

/** Move a saved generator's position into a live one. */
export function resume(target: Prng, source: unknown): void {
  if (source instanceof Prng) target.restore(source.save());
}

/** An emulator whose state can be saved and loaded. */
export interface Persistent {
  saveState(): Json;
  loadState(state: Json): void;
}
