/**
 * Merge a `native:` fragment into generated output: objects merge key by key (recursively), anything
 * else (scalars, arrays) in the fragment replaces what was generated. `null` in the fragment deletes.
 */
import { isObject } from "./guards.js";
export function mergeNative<T>(base: T, fragment: Record<string, unknown> | undefined): T {
  if (!fragment) return base;
  return mergeValue(base, fragment) as T;
}

function mergeValue(base: unknown, patch: unknown): unknown {
  if (!isObject(patch) || !isObject(base)) return structuredClone(patch);
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = k in base ? mergeValue(base[k], v) : structuredClone(v);
  }
  return out;
}
