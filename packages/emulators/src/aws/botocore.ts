/**
 * A small validator for requests against botocore `service-2.json` models (the same models the
 * AWS services' request validation is generated from): required members, types, min/max on
 * strings, numbers, lists and maps, Java-style whole-value patterns, and enums.
 *
 * Problems come back in AWS's own wording, so the emulator can answer exactly like the service:
 * a wrong JSON type is a `SerializationException`; a broken constraint is one line of
 * `ValidationException` ("1 validation error detected: Value 'x' at 'pipeline.name' failed to
 * satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9.@\-_]+").
 * Model format: https://github.com/boto/botocore/tree/develop/botocore/data
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isObject, type Json } from "../core/json.js";

interface BotocoreShapeRef {
  shape: string;
}

export interface BotocoreShape {
  type: string;
  members?: Record<string, BotocoreShapeRef>;
  required?: string[];
  member?: BotocoreShapeRef;
  key?: BotocoreShapeRef;
  value?: BotocoreShapeRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  exception?: boolean;
  union?: boolean;
  sensitive?: boolean;
}

export interface BotocoreModel {
  metadata: { targetPrefix?: string; serviceId?: string; apiVersion?: string; protocol?: string };
  operations: Record<string, { name: string; input?: BotocoreShapeRef; output?: BotocoreShapeRef; errors?: BotocoreShapeRef[] }>;
  shapes: Record<string, BotocoreShape>;
}

export interface ShapeProblem {
  /** `serialization`: the JSON type is wrong (SerializationException); `validation`: a constraint fails (ValidationException). */
  kind: "serialization" | "validation";
  /** Coral-style member path, e.g. "pipeline.stages.1.member.name" (list positions count from 1). */
  path: string;
  message: string;
}

function render(v: Json | undefined, sensitive: boolean): string {
  if (v === undefined || v === null) return "null";
  if (sensitive) return "***";
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return `[${v.map((x) => render(x, false)).join(", ")}]`;
  if (isObject(v)) return "{...}";
  return String(v);
}

export class ShapeValidator {
  private readonly patterns = new Map<string, RegExp>();

  constructor(readonly model: BotocoreModel) {}

  static fromFile(file: string): ShapeValidator {
    return new ShapeValidator(JSON.parse(readFileSync(file, "utf8")) as BotocoreModel);
  }

  get targetPrefix(): string | undefined {
    return this.model.metadata.targetPrefix;
  }

  hasOperation(name: string): boolean {
    return Object.hasOwn(this.model.operations, name);
  }

  /** Errors that the model declares for an operation. */
  errorsOf(operation: string): string[] {
    return (this.model.operations[operation]?.errors ?? []).map((e) => e.shape);
  }

  /** Validate an operation's input. An operation without an input shape accepts `{}` only. */
  validateInput(operation: string, input: Json): ShapeProblem[] {
    const op = this.model.operations[operation];
    if (!op) throw new Error(`operation ${operation} is not in the model`);
    const problems: ShapeProblem[] = [];
    if (!op.input) return problems;
    this.check(op.input.shape, input, "", problems);
    return problems;
  }

  /** Validate any value against a named shape (for tests and for callers that build requests). */
  validateShape(shapeName: string, value: Json): ShapeProblem[] {
    const problems: ShapeProblem[] = [];
    this.check(shapeName, value, "", problems);
    return problems;
  }

  private regex(pattern: string): RegExp | undefined {
    let re = this.patterns.get(pattern);
    if (!re) {
      try {
        re = new RegExp(`^(?:${pattern})$`, "u");
      } catch {
        try {
          re = new RegExp(`^(?:${pattern})$`);
        } catch {
          return undefined; // A Java-only construct: do not guess.
        }
      }
      this.patterns.set(pattern, re);
    }
    return re;
  }

  private check(shapeName: string, value: Json, path: string, out: ShapeProblem[], sensitiveRef = false): void {
    const shape = this.model.shapes[shapeName];
    if (!shape) throw new Error(`shape ${shapeName} is not in the model`);
    const sensitive = sensitiveRef || shape.sensitive === true;
    const at: CheckAt = {
      path,
      out,
      sensitive,
      fail: (constraint) => {
        out.push({
          kind: "validation",
          path,
          message: `Value ${value === null ? "null" : `'${render(value, sensitive)}'`} at '${path}' failed to satisfy constraint: ${constraint}`,
        });
      },
      wrongType: (expected) => {
        out.push({
          kind: "serialization",
          path,
          message: `Expected ${expected} at '${path || "(root)"}', got ${Array.isArray(value) ? "a list" : value === null ? "null" : typeof value}`,
        });
      },
    };
    switch (shape.type) {
      case "structure":
        return isObject(value) ? this.checkStructure(shape, value, at) : at.wrongType("a structure");
      case "list":
        return Array.isArray(value) ? this.checkList(shape, value, at) : at.wrongType("a list");
      case "map":
        return isObject(value) ? this.checkMap(shape, value, at) : at.wrongType("a map");
      case "string":
        return typeof value === "string" ? this.checkString(shape, value, at) : at.wrongType("a string");
      case "integer":
      case "long":
      case "double":
      case "float":
        return checkNumber(shape, value, at);
      case "boolean":
        if (typeof value !== "boolean") at.wrongType("a boolean");
        return;
      case "timestamp":
        if (typeof value !== "number" && typeof value !== "string") at.wrongType("a timestamp");
        return;
      case "blob":
        if (typeof value !== "string") at.wrongType("base64 text");
        return;
      default:
        return;
    }
  }

  private checkStructure(shape: BotocoreShape, value: Record<string, Json>, { path, out, sensitive }: CheckAt): void {
    const members = shape.members ?? {};
    for (const req of shape.required ?? []) {
      if (value[req] === undefined || value[req] === null) {
        const p = path ? `${path}.${req}` : req;
        out.push({ kind: "validation", path: p, message: `Value null at '${p}' failed to satisfy constraint: Member must not be null` });
      }
    }
    let set = 0;
    for (const [name, ref] of Object.entries(members)) {
      const v = value[name];
      if (v === undefined || v === null) continue;
      set++;
      this.check(ref.shape, v, path ? `${path}.${name}` : name, out, sensitive);
    }
    if (shape.union && set !== 1) {
      out.push({ kind: "validation", path, message: `Value at '${path}' failed to satisfy constraint: Member must have exactly one member set` });
    }
  }

  private checkList(shape: BotocoreShape, value: Json[], at: CheckAt): void {
    lengthWithin(shape, value.length, at);
    value.forEach((item, i) => {
      if (item !== null) this.check(shape.member!.shape, item, `${at.path}.${i + 1}.member`, at.out, at.sensitive);
    });
  }

  private checkMap(shape: BotocoreShape, value: Record<string, Json>, at: CheckAt): void {
    lengthWithin(shape, Object.keys(value).length, at);
    for (const [k, v] of Object.entries(value)) {
      this.check(shape.key!.shape, k, `${at.path}.key`, at.out, at.sensitive);
      if (v !== null) this.check(shape.value!.shape, v, `${at.path}.${k}`, at.out, at.sensitive);
    }
  }

  private checkString(shape: BotocoreShape, value: string, at: CheckAt): void {
    lengthWithin(shape, value.length, at);
    if (shape.pattern !== undefined) {
      const re = this.regex(shape.pattern);
      if (re && !re.test(value)) at.fail(`Member must satisfy regular expression pattern: ${shape.pattern}`);
    }
    if (shape.enum && !shape.enum.includes(value)) at.fail(`Member must satisfy enum value set: [${shape.enum.join(", ")}]`);
  }
}

/** Where a value is checked, and how a problem with it is worded. */
interface CheckAt {
  path: string;
  out: ShapeProblem[];
  sensitive: boolean;
  /** A constraint the value breaks (AWS's validation wording). */
  fail: (constraint: string) => void;
  /** The value is not of the shape's type (a serialization error). */
  wrongType: (expected: string) => void;
}

function lengthWithin(shape: BotocoreShape, n: number, at: CheckAt): void {
  if (shape.min !== undefined && n < shape.min) at.fail(`Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && n > shape.max) at.fail(`Member must have length less than or equal to ${shape.max}`);
}

function checkNumber(shape: BotocoreShape, value: Json, at: CheckAt): void {
  if (typeof value !== "number" || ((shape.type === "integer" || shape.type === "long") && !Number.isInteger(value))) {
    return at.wrongType(shape.type === "integer" || shape.type === "long" ? "an integer" : "a number");
  }
  if (shape.min !== undefined && value < shape.min) at.fail(`Member must have value greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && value > shape.max) at.fail(`Member must have value less than or equal to ${shape.max}`);
}

/** AWS's wording for a list of constraint problems. */
export function validationMessage(problems: ShapeProblem[]): string {
  const n = problems.length;
  return `${n} validation error${n === 1 ? "" : "s"} detected: ${problems.map((p) => p.message).join("; ")}`;
}

/** The service-2.json file of a service in a folder, flat (`codepipeline-2015-07-09.service-2.json`) or botocore's own layout (`codepipeline/2015-07-09/service-2.json`). */
export function findServiceModel(dir: string, service: string, apiVersion: string): string | undefined {
  for (const candidate of [join(dir, `${service}-${apiVersion}.service-2.json`), join(dir, service, apiVersion, "service-2.json")]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
