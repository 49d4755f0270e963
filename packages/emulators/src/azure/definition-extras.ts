/**
 * A definition's tags and properties, stored beside it: changing them creates no revision.
 */
import { isObject, type Json, type JsonObject } from "../core/json.js";
import type { EmulatorRequest } from "../core/server.js";
import { AzureError, badRequest } from "./errors.js";
import { jsonArray, type Project, type Definition } from "./model.js";
import { definitionById } from "./definitions.js";

export function definitionTags(p: Project, id: number): JsonObject {
  const d = definitionById(p, id);
  const value = [...(d.body.tags as string[])].sort();
  return { count: value.length, value };
}

/** Tag changes do not create a revision (they are stored beside the definition). */
export function changeTags(p: Project, id: number, add: Json[], remove: Json[]): JsonObject {
  const d = definitionById(p, id);
  const tags = new Set(d.body.tags as string[]);
  for (const t of add) if (typeof t === "string" && t.trim()) tags.add(t.trim());
  for (const t of remove) if (typeof t === "string") for (const x of [...tags]) if (x.toLowerCase() === t.toLowerCase()) tags.delete(x);
  d.body.tags = [...tags];
  return definitionTags(p, id);
}

export function definitionProperties(d: Definition, filter: string | null): JsonObject {
  const wanted = filter ? new Set(filter.split(",").map((s) => s.trim())) : undefined;
  const value: JsonObject = {};
  for (const [k, v] of [...d.properties].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (wanted && !wanted.has(k)) continue;
    value[k] = { $type: typeof v === "number" ? "System.Int32" : typeof v === "boolean" ? "System.Boolean" : "System.String", $value: v };
  }
  return { count: Object.keys(value).length, value };
}

export function patchProperties(d: Definition, req: EmulatorRequest): JsonObject {
  const ct = String(req.headers["content-type"] ?? "");
  if (!/json-patch\+json/i.test(ct))
    throw new AzureError(415, "VssRequestContentTypeNotSupportedException", "The request content type must be application/json-patch+json.", "Build");
  const ops = jsonArray(req);
  for (const op of ops) {
    if (!isObject(op) || typeof op.path !== "string" || typeof op.op !== "string")
      throw badRequest("Each patch operation needs op and path.", "ArgumentException", "Build");
    const key = op.path.replace(/^\//, "");
    if (op.op === "remove") d.properties.delete(key);
    else if (op.op === "add" || op.op === "replace") d.properties.set(key, op.value ?? null);
    else throw badRequest(`Patch operation ${op.op} is not supported.`, "ArgumentException", "Build");
  }
  return definitionProperties(d, null);
}
