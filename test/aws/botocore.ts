/**
 * A small validator for botocore's service-2 shape format: required members, member types,
 * min/max (length for strings and lists, value for numbers, entries for maps), patterns, enums,
 * and no unknown members. Written for the AWS oracle tests; knows nothing about pipeglot.
 */
import { readFileSync } from "node:fs";

interface Shape {
  type: string;
  required?: string[];
  members?: Record<string, { shape: string }>;
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
}

export interface ServiceModel {
  shapes: Record<string, Shape>;
}

export function loadModel(file: string): ServiceModel {
  return JSON.parse(readFileSync(file, "utf8")) as ServiceModel;
}

const regexCache = new Map<string, RegExp>();
function regex(p: string): RegExp {
  let r = regexCache.get(p);
  if (!r) {
    // botocore patterns are whole-value patterns; \p{..} needs the u flag.
    try {
      r = new RegExp(`^(?:${p})$`, "u");
    } catch {
      r = new RegExp(`^(?:${p})$`);
    }
    regexCache.set(p, r);
  }
  return r;
}

/** Every problem found, as "path: message". [] means valid. */
export function validateShape(model: ServiceModel, shapeName: string, value: unknown, path = ""): string[] {
  const out: string[] = [];
  const shape = model.shapes[shapeName];
  if (!shape) return [`${path}: unknown shape ${shapeName}`];
  const at = path || "/";
  const len = (n: number, what: string) => {
    if (shape.min !== undefined && n < shape.min) out.push(`${at}: ${what} ${n} < min ${shape.min} (${shapeName})`);
    if (shape.max !== undefined && n > shape.max) out.push(`${at}: ${what} ${n} > max ${shape.max} (${shapeName})`);
  };
  switch (shape.type) {
    case "structure": {
      if (!value || typeof value !== "object" || Array.isArray(value)) return [`${at}: expected an object (${shapeName})`];
      const v = value as Record<string, unknown>;
      for (const r of shape.required ?? []) if (v[r] === undefined) out.push(`${at}: missing required member ${r} (${shapeName})`);
      for (const [k, x] of Object.entries(v)) {
        const m = shape.members?.[k];
        if (!m) out.push(`${path}/${k}: unknown member of ${shapeName}`);
        else if (x !== undefined) out.push(...validateShape(model, m.shape, x, `${path}/${k}`));
      }
      break;
    }
    case "list":
      if (!Array.isArray(value)) return [`${at}: expected a list (${shapeName})`];
      len(value.length, "length");
      value.forEach((x, i) => out.push(...validateShape(model, shape.member!.shape, x, `${path}/${i}`)));
      break;
    case "map":
      if (!value || typeof value !== "object" || Array.isArray(value)) return [`${at}: expected a map (${shapeName})`];
      len(Object.keys(value).length, "entries");
      for (const [k, x] of Object.entries(value)) {
        out.push(...validateShape(model, shape.key!.shape, k, `${path}/${k}(key)`));
        out.push(...validateShape(model, shape.value!.shape, x, `${path}/${k}`));
      }
      break;
    case "string":
      if (typeof value !== "string") return [`${at}: expected a string, got ${JSON.stringify(value)} (${shapeName})`];
      len([...value].length, "length");
      if (shape.pattern !== undefined && !regex(shape.pattern).test(value))
        out.push(`${at}: ${JSON.stringify(value)} does not match ${shape.pattern} (${shapeName})`);
      if (shape.enum && !shape.enum.includes(value)) out.push(`${at}: ${JSON.stringify(value)} is not one of ${shape.enum.join(", ")} (${shapeName})`);
      break;
    case "integer":
    case "long":
      if (typeof value !== "number" || !Number.isInteger(value)) return [`${at}: expected an integer (${shapeName})`];
      len(value, "value");
      break;
    case "double":
    case "float":
      if (typeof value !== "number") return [`${at}: expected a number (${shapeName})`];
      len(value, "value");
      break;
    case "boolean":
      if (typeof value !== "boolean") return [`${at}: expected a boolean (${shapeName})`];
      break;
    case "timestamp":
      if (typeof value !== "string" && typeof value !== "number") return [`${at}: expected a timestamp (${shapeName})`];
      break;
    default:
      out.push(`${at}: unsupported shape type ${shape.type}`);
  }
  return out;
}
