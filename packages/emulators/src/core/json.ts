/** JSON values as they travel on the wire and sit in the emulators' state. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A deep copy, so that callers never hold a reference into an emulator's state. */
export function clone<T extends Json>(v: T): T {
  return structuredClone(v);
}
