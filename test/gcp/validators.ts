/**
 * Three independent checks of what the Cloud Build provider writes:
 *  - SchemaStore's cloudbuild JSON Schema (community-written, draft-07) through Ajv;
 *  - Google's discovery document (cloudbuild v1): a small validator for discovery schemas
 *    (no unknown fields, no output-only fields, types, enums, duration formats);
 *  - the google.devtools.cloudbuild.v1 protos shipped in @google-cloud/cloudbuild, through
 *    protobufjs fromObject + verify (with unknown field names rejected first, since fromObject
 *    ignores them).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import Ajv from "ajv";
import type { Root, Type } from "protobufjs";
import { ORACLES } from "../helpers/paths.js";

type Json = Record<string, unknown>;

export function schemaStoreValidator(): (value: unknown) => string[] {
  const schema = JSON.parse(readFileSync(join(ORACLES, "gcp/cloudbuild.schemastore.json"), "utf8")) as Json;
  const AjvCtor = (Ajv as unknown as { default?: typeof Ajv }).default ?? Ajv;
  const ajv = new AjvCtor({ strict: false, allErrors: true });
  const fn = ajv.compile(schema);
  return (value) => (fn(value) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`));
}

interface DiscoverySchema {
  id?: string;
  type?: string;
  $ref?: string;
  properties?: Record<string, DiscoverySchema>;
  additionalProperties?: DiscoverySchema;
  items?: DiscoverySchema;
  enum?: string[];
  format?: string;
  readOnly?: boolean;
}

export function discoveryValidator(): (value: unknown, schemaName: string) => string[] {
  const doc = JSON.parse(readFileSync(join(ORACLES, "gcp/discovery/cloudbuild.v1.discovery.json"), "utf8")) as { schemas: Record<string, DiscoverySchema> };
  const schemas = doc.schemas;
  const check = (v: unknown, s: DiscoverySchema, path: string, out: string[]): void => {
    if (s.$ref) {
      const target = schemas[s.$ref];
      if (!target) return void out.push(`${path}: unknown schema ${s.$ref}`);
      return check(v, target, path, out);
    }
    switch (s.type) {
      case "object": {
        if (!v || typeof v !== "object" || Array.isArray(v)) return void out.push(`${path}: expected an object`);
        for (const [k, x] of Object.entries(v as Json)) {
          if (s.properties) {
            const p = s.properties[k];
            if (!p) out.push(`${path}/${k}: unknown field`);
            else if (p.readOnly) out.push(`${path}/${k}: output-only field`);
            else check(x, p, `${path}/${k}`, out);
          } else if (s.additionalProperties) check(x, s.additionalProperties, `${path}/${k}`, out);
        }
        return;
      }
      case "array":
        if (!Array.isArray(v)) return void out.push(`${path}: expected an array`);
        v.forEach((x, i) => check(x, s.items ?? {}, `${path}/${i}`, out));
        return;
      case "string":
        if (s.format === "int64" || s.format === "uint64") {
          if (!(typeof v === "number" && Number.isInteger(v)) && !(typeof v === "string" && /^-?\d+$/.test(v))) out.push(`${path}: expected an int64`);
          return;
        }
        if (typeof v !== "string") return void out.push(`${path}: expected a string`);
        if (s.enum && !s.enum.includes(v)) out.push(`${path}: ${JSON.stringify(v)} is not one of ${s.enum.join(", ")}`);
        if (s.format === "google-duration" && !/^-?\d+(\.\d{1,9})?s$/.test(v)) out.push(`${path}: ${JSON.stringify(v)} is not a duration`);
        return;
      case "boolean":
        if (typeof v !== "boolean") out.push(`${path}: expected a boolean`);
        return;
      case "integer":
        if (!Number.isInteger(v)) out.push(`${path}: expected an integer`);
        return;
      case "number":
        if (typeof v !== "number") out.push(`${path}: expected a number`);
        return;
      case "any":
      case undefined:
        return;
      default:
        out.push(`${path}: unsupported schema type ${s.type}`);
    }
  };
  return (value, name) => {
    const out: string[] = [];
    check(value, { $ref: name }, "", out);
    return out;
  };
}

export function protoValidator(): (value: unknown) => string[] {
  const require = createRequire(import.meta.url);
  const protobuf = require("protobufjs") as typeof import("protobufjs");
  const json = require("@google-cloud/cloudbuild/build/protos/protos.json") as Json;
  const root: Root = protobuf.Root.fromJSON(json as never);
  const Build = root.lookupType("google.devtools.cloudbuild.v1.Build");
  /** Unknown fields → errors; JSON-form Durations ("600s") → {seconds, nanos}. */
  const prepare = (v: unknown, t: Type, path: string, out: string[]): unknown => {
    if (!v || typeof v !== "object" || Array.isArray(v)) return v;
    const res: Json = {};
    for (const [k, x] of Object.entries(v as Json)) {
      const f = t.fields[k] ?? Object.values(t.fields).find((ff) => ff.options?.json_name === k);
      if (!f) {
        out.push(`${path}/${k}: not a field of ${t.fullName}`);
        continue;
      }
      f.resolve();
      if (f.type === "google.protobuf.Duration" || f.resolvedType?.fullName === ".google.protobuf.Duration") {
        const m = typeof x === "string" ? /^(\d+)(?:\.(\d{1,9}))?s$/.exec(x) : null;
        if (typeof x === "string" && !m) out.push(`${path}/${k}: ${JSON.stringify(x)} is not a duration`);
        res[k] = m ? { seconds: Number(m[1]), nanos: m[2] ? Number(m[2].padEnd(9, "0")) : 0 } : x;
      } else if (f.resolvedType && "fields" in f.resolvedType && !f.map) {
        const rt = f.resolvedType as Type;
        res[k] = f.repeated && Array.isArray(x) ? x.map((e, i) => prepare(e, rt, `${path}/${k}/${i}`, out)) : prepare(x, rt, `${path}/${k}`, out);
      } else res[k] = x;
    }
    return res;
  };
  return (value) => {
    const out: string[] = [];
    const prepared = prepare(value, Build, "", out);
    try {
      const msg = Build.fromObject(prepared as Json);
      const err = Build.verify(msg);
      if (err) out.push(err);
      // fromObject coerces: a value of the wrong type comes back different (e.g. a number for a string).
      const back = Build.toObject(msg, { enums: String, longs: Number, defaults: false });
      compareShallow(prepared, back, "", out);
    } catch (e) {
      out.push((e as Error).message);
    }
    return out;
  };
}

function compareShallow(a: unknown, b: unknown, path: string, out: string[]): void {
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return void out.push(`${path}: lost or changed by the proto`);
    a.forEach((x, i) => compareShallow(x, b[i], `${path}/${i}`, out));
    return;
  }
  if (a && typeof a === "object") {
    if (!b || typeof b !== "object") return void out.push(`${path}: lost by the proto`);
    for (const [k, x] of Object.entries(a as Json)) compareShallow(x, (b as Json)[k], `${path}/${k}`, out);
    return;
  }
  if (typeof a === "boolean" && a === false && b === undefined) return;
  if (typeof a === "number" && a === 0 && b === undefined) return;
  // proto3 JSON writes int64 as a decimal string ("diskSizeGb": "20"); toObject gives it back as a
  // number (longs: Number). A string field never turns into a number, so this is an int64.
  if (typeof a === "string" && typeof b === "number" && /^-?\d+$/.test(a) && Number(a) === b) return;
  if (a !== b) out.push(`${path}: ${JSON.stringify(a)} became ${JSON.stringify(b)} through the proto`);
}
