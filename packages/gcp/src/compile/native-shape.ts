/**
 * A `native.gcp` fragment is merged as written, but it may not change the type of a field pipeglot
 * (and Cloud Build) reads: `steps: "x"` or `args: 1` is a user mistake with a position, and the
 * fragment is left out, never a crash further on. Only the fields below are checked; any other key
 * passes as written (PG-GCB-NATIVE).
 * https://cloud.google.com/build/docs/api/reference/rest/v1/projects.builds#Build
 */
import { isObject, mergeNative } from "@pipeglot/core";
import type { Ctx } from "./context.js";

type Kind = "string" | "string[]" | "object" | "object[]" | "boolean" | "number[]";
type Shape = Readonly<Record<string, Kind>>;

export const STEP_SHAPE: Shape = {
  name: "string",
  id: "string",
  entrypoint: "string",
  args: "string[]",
  script: "string",
  env: "string[]",
  secretEnv: "string[]",
  dir: "string",
  waitFor: "string[]",
  timeout: "string",
  allowFailure: "boolean",
  allowExitCodes: "number[]",
  volumes: "object[]",
};
export const BUILD_SHAPE: Shape = {
  steps: "object[]",
  timeout: "string",
  substitutions: "object",
  availableSecrets: "object",
  artifacts: "object",
  images: "string[]",
  options: "object",
  tags: "string[]",
};
export const TRIGGER_SHAPE: Shape = {
  name: "string",
  description: "string",
  tags: "string[]",
  disabled: "boolean",
  build: "object",
  filename: "string",
  substitutions: "object",
  serviceAccount: "string",
};

function fits(v: unknown, kind: Kind): boolean {
  switch (kind) {
    case "string":
      return typeof v === "string";
    case "boolean":
      return typeof v === "boolean";
    case "object":
      return isObject(v);
    case "string[]":
      return Array.isArray(v) && v.every((x) => typeof x === "string");
    case "number[]":
      return Array.isArray(v) && v.every((x) => typeof x === "number");
    case "object[]":
      return Array.isArray(v) && v.every(isObject);
  }
}

const KIND_TEXT: Record<Kind, string> = {
  string: "a string",
  boolean: "true or false",
  object: "a mapping",
  "string[]": "a list of strings",
  "number[]": "a list of numbers",
  "object[]": "a list of mappings",
};

/** The fields of `value` that do not have the type `shape` gives them (steps inside a build checked too). */
function shapeProblems(value: Record<string, unknown>, shape: Shape, at = ""): string[] {
  const out: string[] = [];
  for (const [k, kind] of Object.entries(shape)) {
    if (!(k in value) || fits(value[k], kind)) continue;
    out.push(`${at}${k} must be ${KIND_TEXT[kind]}`);
  }
  if (shape === BUILD_SHAPE && Array.isArray(value.steps))
    value.steps.forEach((s, i) => {
      if (isObject(s)) out.push(...shapeProblems(s, STEP_SHAPE, `steps[${i}].`));
    });
  return out;
}

/**
 * Merge `fragment` (found at pointer `ptr`) into `base` when the result keeps the shape; otherwise
 * report each problem as PG-GCB-NATIVE-INVALID and return `base` unchanged.
 */
export function mergeChecked<T extends object>(ctx: Ctx, base: T, fragment: Record<string, unknown>, shape: Shape, ptr: string): T {
  const merged = mergeNative(base, fragment);
  const problems = shapeProblems(merged as Record<string, unknown>, shape);
  if (!problems.length) return merged;
  for (const p of problems) {
    const key = /^[A-Za-z]+/.exec(p)?.[0];
    ctx.report("PG-GCB-NATIVE-INVALID", key !== undefined && key in fragment ? `${ptr}/${key}` : ptr, `native.gcp left out: with it, ${p}`);
  }
  return base;
}
