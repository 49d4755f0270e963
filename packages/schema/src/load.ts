/**
 * YAML text → schema-checked PipelineDocument, with a SourceMap and positioned diagnostics.
 * Never throws for bad input: every problem becomes a diagnostic.
 */
import { LineCounter, parseDocument, type YAMLError } from "yaml";
import type { z } from "zod";
import { PipelineDocumentSchema, type PipelineDocument } from "./document.js";
import { pointer, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { flatSourceMap, yamlSourceMap, type SourceMap } from "./source-map.js";
import { closest } from "./suggest.js";
import { duplicateKeyDiagnostics, duplicateKeys } from "./duplicate-keys.js";
import { CODES, type SchemaCode } from "./codes.js";

/** A YAML problem (the severity is the parser's: a YAML warning stays a warning). */
const YAML_SYNTAX: SchemaCode = "PG-YAML-SYNTAX";
const YAML_DUPLICATE_KEY: SchemaCode = "PG-YAML-DUPLICATE-KEY";

export interface LoadResult {
  /** Present when the text is a schema-valid document. */
  document?: PipelineDocument;
  /** The parsed data, even when the schema rejected it (undefined when the YAML did not parse). */
  data?: unknown;
  diagnostics: Diagnostic[];
  sourceMap: SourceMap;
}

export interface LoadOptions {
  /** The file name used in diagnostics. */
  file?: string;
}

export function load(text: string, opts: LoadOptions = {}): LoadResult {
  const file = opts.file ?? "<input>";
  const flat = flatSourceMap(file);
  const at = (code: keyof typeof CODES, message: string, line = 1, column = 1, hint?: string): Diagnostic => ({
    severity: CODES[code].severity,
    code,
    message,
    path: "",
    file,
    line,
    column,
    ...(hint ? { hint } : {}),
  });
  // eslint-disable-next-line no-control-regex -- control bytes mean binary input.
  if (text.includes("\u0000") || /[\u0001-\u0008\u000e-\u001f]/.test(text.slice(0, 4096))) {
    return { diagnostics: [at("PG-INPUT-BINARY", "the file is not text (it contains control bytes); expected a YAML pipeline definition")], sourceMap: flat };
  }
  if (text.trim() === "" || /^(\s*(#.*)?\n?)*$/.test(text)) {
    return {
      diagnostics: [
        at(
          "PG-INPUT-EMPTY",
          "the file is empty; expected a pipeline definition",
          1,
          1,
          "start from one of the examples/ or run `pipeglot schema` for the format",
        ),
      ],
      sourceMap: flat,
    };
  }
  const lc = new LineCounter();
  // Duplicate keys are found by duplicateKeys (with both positions), not by the parser (which names one).
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false, strict: true });
  const sourceMap = yamlSourceMap(file, text, doc, lc);
  const yamlDiags: Diagnostic[] = [];
  for (const err of [...doc.errors, ...doc.warnings] as YAMLError[]) {
    const p = lc.linePos(err.pos[0]);
    const msg = err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    yamlDiags.push({
      severity: err.name === "YAMLWarning" ? "warning" : "error",
      code: YAML_SYNTAX,
      message: msg.charAt(0).toLowerCase() + msg.slice(1),
      path: "",
      file,
      line: p.line,
      column: p.col,
    });
  }
  yamlDiags.push(...duplicateKeyDiagnostics(duplicateKeys(doc, lc), { file, code: YAML_DUPLICATE_KEY }));
  capSyntaxErrors(yamlDiags);
  if (yamlDiags.some((d) => d.severity === "error")) return { diagnostics: sortDiagnostics(yamlDiags), sourceMap };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { diagnostics: [at("PG-YAML-SYNTAX", (e as Error).message)], sourceMap };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    const d = at("PG-SCHEMA-TYPE", `expected a mapping with pipeglot, name, source and stages; got ${describe(data)}`);
    return { data, diagnostics: [d], sourceMap };
  }
  const parsed = PipelineDocumentSchema.safeParse(data);
  if (parsed.success) return { document: parsed.data, data, diagnostics: sortDiagnostics(yamlDiags), sourceMap };
  const diags = [...yamlDiags, ...issuesToDiagnostics(parsed.error.issues, data, sourceMap)];
  return { data, diagnostics: sortDiagnostics(diags), sourceMap };
}

type Issue = z.core.$ZodIssue;

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)}`;
  return `the ${typeof v} ${String(v)}`;
}

const TYPE_NAMES: Record<string, string> = {
  array: "a list",
  object: "a mapping",
  string: "a string",
  number: "a number",
  boolean: "true or false",
  record: "a mapping",
};

/** The keys a strict object at `path` accepts, for did-you-mean hints. */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  // Walk the zod schema along the path through objects, arrays, optionals and unions.
  let schemas: z.core.$ZodType[] = [PipelineDocumentSchema as unknown as z.core.$ZodType];
  for (const seg of path) {
    const next: z.core.$ZodType[] = [];
    for (const s of schemas.flatMap(unwrap)) {
      const def = s._zod.def as unknown as Record<string, unknown>;
      if (def.type === "object" && typeof seg === "string") {
        const shape = (def.shape as Record<string, z.core.$ZodType>) ?? {};
        if (shape[seg]) next.push(shape[seg]);
      } else if (def.type === "array" && typeof seg === "number") next.push(def.element as z.core.$ZodType);
      else if (def.type === "record") next.push(def.valueType as z.core.$ZodType);
    }
    schemas = next;
  }
  const keys = new Set<string>();
  for (const s of schemas.flatMap(unwrap)) {
    const def = s._zod.def as unknown as Record<string, unknown>;
    if (def.type === "object") for (const k of Object.keys(def.shape as object)) keys.add(k);
  }
  return [...keys];
}

function unwrap(s: z.core.$ZodType): z.core.$ZodType[] {
  const def = s._zod.def as unknown as Record<string, unknown>;
  if (def.type === "optional" || def.type === "nullable" || def.type === "default") return unwrap(def.innerType as z.core.$ZodType);
  if (def.type === "pipe") return unwrap(def.in as z.core.$ZodType);
  if (def.type === "union") return (def.options as z.core.$ZodType[]).flatMap(unwrap);
  return [s];
}

type Emit = (code: keyof typeof CODES, path: readonly PropertyKey[], message: string, hint?: string, key?: boolean) => void;

function issuesToDiagnostics(issues: readonly Issue[], data: unknown, sm: SourceMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  const emit: Emit = (code, path, message, hint, key = false) => {
    const ptr = pointer(path.map((p) => (typeof p === "symbol" ? String(p.description) : p)));
    out.push({ severity: CODES[code].severity, code, message, path: ptr, ...sm.locate(ptr, { key }), ...(hint ? { hint } : {}) });
  };
  const visit = (issue: Issue, base: readonly PropertyKey[]): void => {
    const path = [...base, ...issue.path];
    const got = valueAt(data, path);
    switch (issue.code) {
      case "unrecognized_keys":
        return unknownKeys(issue.keys, path, emit);
      case "invalid_type":
        if (got === undefined) emit("PG-SCHEMA-MISSING", path, `missing required key ${JSON.stringify(String(path[path.length - 1]))}`);
        else emit("PG-SCHEMA-TYPE", path, `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${describe(got)}`);
        return;
      case "invalid_union":
        return unionIssue(issue.errors, path, got, emit, visit);
      case "invalid_value":
        if (path.length === 1 && path[0] === "pipeglot") {
          emit(
            "PG-VERSION",
            path,
            `${describe(got)} is not a format version this pipeglot reads; it reads pipeglot: 1`,
            "a newer pipeglot may read it; or write the definition in format 1",
          );
          return;
        }
        emit(
          "PG-SCHEMA-VALUE",
          path,
          `${describe(got)} is not allowed here; expected ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`,
          closestValue(got, issue.values),
        );
        return;
      case "too_small":
      case "too_big":
        return emit("PG-SCHEMA-RANGE", path, rangeMessage(issue, got));
      case "invalid_format":
        emit(
          "PG-SCHEMA-FORMAT",
          path,
          `${describe(got)}: ${issue.message.startsWith("Invalid") ? `does not match ${issue.pattern ?? issue.format}` : issue.message}`,
        );
        return;
      default:
        emit("PG-SCHEMA-VALUE", path, `${describe(got)}: ${issue.message}`);
    }
  };
  for (const issue of issues) visit(issue, []);
  return out;
}

function unknownKeys(keys: readonly string[], path: readonly PropertyKey[], emit: Emit): void {
  for (const k of keys) {
    const known = knownKeysAt(path);
    const guess = closest(k, known);
    emit(
      "PG-SCHEMA-UNKNOWN-KEY",
      [...path, k],
      `unknown key ${JSON.stringify(k)}`,
      guess ? `did you mean ${JSON.stringify(guess)}?` : known.length ? `expected one of: ${known.sort().join(", ")}` : undefined,
      true,
    );
  }
}

/** Prefer the branch whose type matched (its problems are deeper); else report the types expected. */
function unionIssue(
  errors: Issue[][],
  path: readonly PropertyKey[],
  got: unknown,
  emit: Emit,
  visit: (issue: Issue, base: readonly PropertyKey[]) => void,
): void {
  const branches = errors.filter((errs) => errs.length > 0);
  const typeMismatch = (errs: Issue[]) => errs.length === 1 && errs[0]!.path.length === 0 && errs[0]!.code === "invalid_type";
  const deeper = branches.filter((errs) => !typeMismatch(errs)).sort((a, b) => a.length - b.length)[0];
  if (deeper) {
    for (const e of deeper) visit(e, path);
    return;
  }
  const expected = [...new Set(branches.map((errs) => (errs[0]!.code === "invalid_type" ? (TYPE_NAMES[errs[0]!.expected] ?? errs[0]!.expected) : "")))].filter(
    Boolean,
  );
  if (got === undefined) emit("PG-SCHEMA-MISSING", path, `missing required key ${JSON.stringify(String(path[path.length - 1]))}`);
  else emit("PG-SCHEMA-TYPE", path, `expected ${expected.join(" or ")}, got ${describe(got)}`);
}

function rangeMessage(issue: Extract<Issue, { code: "too_small" | "too_big" }>, got: unknown): string {
  if (issue.code === "too_small")
    return issue.origin === "array"
      ? `expected at least ${issue.minimum} item${Number(issue.minimum) === 1 ? "" : "s"}`
      : issue.origin === "string"
        ? `expected at least ${issue.minimum} character${Number(issue.minimum) === 1 ? "" : "s"}`
        : `expected a value of at least ${issue.minimum}, got ${describe(got)}`;
  return issue.origin === "string"
    ? `expected at most ${issue.maximum} characters, got ${String(got).length}`
    : issue.origin === "array"
      ? `expected at most ${issue.maximum} items`
      : `expected a value of at most ${issue.maximum}, got ${describe(got)}`;
}

function closestValue(got: unknown, values: readonly unknown[]): string | undefined {
  if (typeof got !== "string") return undefined;
  const guess = closest(
    got,
    values.filter((v): v is string => typeof v === "string"),
  );
  return guess ? `did you mean ${JSON.stringify(guess)}?` : undefined;
}

/** At most this many YAML syntax errors per file: past the first ones they are mostly echoes of them. */
const MAX_SYNTAX_ERRORS = 100;

/** Keeps the first MAX_SYNTAX_ERRORS (in file order) and says how many more there were, at the next one. */
function capSyntaxErrors(diags: Diagnostic[]): void {
  if (diags.length <= MAX_SYNTAX_ERRORS) return;
  const sorted = sortDiagnostics(diags);
  const next = sorted[MAX_SYNTAX_ERRORS]!;
  const more = sorted.length - MAX_SYNTAX_ERRORS;
  diags.splice(0, diags.length, ...sorted.slice(0, MAX_SYNTAX_ERRORS), {
    ...next,
    severity: CODES[YAML_SYNTAX].severity,
    code: YAML_SYNTAX,
    message: `${more} more YAML problems from here on are not listed; fix the first ones and run validate again`,
    hint: undefined,
  });
}
