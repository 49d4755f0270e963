/**
 * The template engine: what Azure does to a YAML pipeline before it runs it.
 * https://learn.microsoft.com/azure/devops/pipelines/process/templates
 *  - `${{ expr }}` in strings (a whole-string expression may yield a list or a mapping)
 *  - `${{ if }}` / `${{ elseif }}` / `${{ else }}` / `${{ each x in y }}` / `${{ insert }}` as keys,
 *    in mappings and in sequences (conditional and loop insertion)
 *  - `template:` items in steps/jobs/stages/variables lists (with `parameters:`), and `extends:`
 *  - templates in other repositories (`file@alias`) through templateRoots
 * Runtime syntax (`$(x)`, `$[ ]`) is left alone. Problems become diagnostics with a position.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Alias, type Document, type Node } from "yaml";
import type { Diagnostic } from "@pipeglot/schema";
import { CODES, type AzureCode } from "../../diagnostics.js";
import { DUPLICATE_KEY, diagnosticAt } from "../context.js";
import { evaluate, ExprError, parseExpression, toStr, truthy, type Ast, type Scope } from "./expr.js";
import { duplicateKeyDiagnostics, duplicateKeys, isObject } from "@pipeglot/core";
import { Budget, BudgetError } from "./budget.js";

export interface Pos {
  file: string;
  line: number;
  column: number;
}

/** Positions of the mappings and sequences read from YAML (and of their expanded copies). */
export type Positions = WeakMap<object, Pos>;
/** Positions of the `${{ }}` keys of the mappings read from YAML (where a directive is reported). */
type KeyPositions = WeakMap<object, Record<string, Pos>>;

interface ExpandOptions {
  /** Read a file; `path` is already resolved (posix, relative to the same root as the main file). */
  readFile?: (path: string) => string | undefined;
  templateRoots?: Record<string, string>;
  /** Values for runtime parameters (defaults otherwise). */
  parameters?: Record<string, unknown>;
}

export interface ExpandResult {
  value: unknown;
  diagnostics: Diagnostic[];
  positions: Positions;
  /** Every file read, main file first. */
  files: string[];
}

const MAX_DEPTH = 50;

export interface LoadOptions {
  /** Records the positions of `${{ }}` keys. */
  keys?: KeyPositions;
  /** Charged with the copies YAML aliases make (each alias is read as a copy of its anchor). */
  budget?: Budget;
}

/** YAML text → plain data, recording positions. */
function loadYaml(text: string, file: string, positions: Positions, diags: Diagnostic[], opts: LoadOptions = {}): unknown {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  for (const e of doc.errors) {
    const p = lc.linePos(e.pos[0]);
    diags.push(diagnosticAt("PG-ADO-IMPORT-YAML", e.message.split("\n")[0]!, { file, line: p.line, column: p.col }));
  }
  if (doc.errors.length) return undefined;
  // A key given twice: a reviewer may read the first value where this reading keeps the last one.
  const dups = duplicateKeyDiagnostics(duplicateKeys(doc, lc), { file, code: DUPLICATE_KEY, outcome: "nothing is imported" });
  diags.push(...dups);
  if (dups.length) return undefined;
  const posOf = (node: { range?: [number, number, number] | null }): Pos => {
    const p = node.range ? lc.linePos(node.range[0]) : { line: 1, col: 1 };
    return { file, line: p.line, column: p.col };
  };
  const copies = aliasCopies(doc);
  let inAlias = false;
  const conv = (n: unknown): unknown => {
    if (n === null || n === undefined) return null;
    if (isScalar(n)) return n.value;
    // Azure refuses anchors, but a file that has them still reads as the data they stand for: a
    // copy, whose whole size is charged before it is made (so "billion laughs" fail fast).
    if (isAlias(n)) {
      if (inAlias) return conv(copies.target(n));
      const size = copies.size(n);
      opts.budget?.charge(size.chars, posOf(n), size.values);
      inAlias = true;
      try {
        return conv(copies.target(n));
      } finally {
        inAlias = false;
      }
    }
    const node = n as Node;
    const pos = posOf(node);
    if (isMap(node)) {
      const o: Record<string, unknown> = {};
      const keys: Record<string, Pos> = {};
      for (const it of node.items) {
        if (!isPair(it)) continue;
        const k = isScalar(it.key) ? toStr(it.key.value) : toStr(conv(it.key));
        if (k.trimStart().startsWith("${{") && isScalar(it.key)) keys[k] = posOf(it.key);
        o[k] = conv(it.value);
      }
      positions.set(o, pos);
      if (opts.keys && Object.keys(keys).length) opts.keys.set(o, keys);
      return o;
    }
    if (isSeq(node)) {
      const a = node.items.map(conv);
      positions.set(a, pos);
      return a;
    }
    return (node as { toJSON?: () => unknown }).toJSON?.() ?? null;
  };
  return conv(doc.contents);
}

interface Size {
  values: number;
  chars: number;
}

/** The node each alias stands for (resolve() searches the document: once per alias) and the size of its copy. */
function aliasCopies(doc: Document) {
  const targets = new Map<unknown, unknown>();
  const sizes = new Map<unknown, Size>();
  const target = (n: Alias): unknown => {
    if (!targets.has(n)) targets.set(n, n.resolve(doc));
    return targets.get(n);
  };
  const size = (n: unknown): Size => {
    if (isAlias(n)) return size(target(n));
    if (isScalar(n)) return { values: 1, chars: typeof n.value === "string" ? n.value.length : 0 };
    if (!isMap(n) && !isSeq(n)) return { values: 1, chars: 0 };
    const known = sizes.get(n);
    if (known) return known;
    sizes.set(n, { values: Infinity, chars: Infinity }); // an anchor inside itself never ends
    const total = { values: 1, chars: 0 };
    for (const it of n.items)
      for (const part of isPair(it) ? [it.key, it.value] : [it]) {
        const s = size(part);
        total.values += s.values;
        total.chars += s.chars;
      }
    sizes.set(n, total);
    return total;
  };
  return { target, size };
}

const EXPR_ONLY = /^\s*\$\{\{([\s\S]*)\}\}\s*$/;
const DIRECTIVE = /^\$\{\{\s*(if|elseif|else|each|insert)\b([\s\S]*?)\}\}$/;

function posixJoin(dir: string, rel: string): string {
  const parts = (rel.startsWith("/") ? rel.slice(1) : dir ? `${dir}/${rel}` : rel).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "" || p === ".") continue;
    if (p === "..") out.pop();
    else out.push(p);
  }
  return out.join("/");
}
const dirOf = (f: string) => (f.includes("/") ? f.slice(0, f.lastIndexOf("/")) : "");

interface Frame {
  file: string;
  scope: Scope;
  depth: number;
}

class Expander {
  readonly diagnostics: Diagnostic[] = [];
  readonly positions: Positions = new WeakMap();
  readonly keys: KeyPositions = new WeakMap();
  readonly files: string[] = [];
  /** What this file's expansion has produced so far, against BUDGETS (budget.ts). */
  readonly budget = new Budget();
  private readonly templates = new Map<string, { data: unknown } | undefined>();
  private readonly asts = new Map<string, Ast>();
  // Reused by every eval (expressions do not nest evals): names unknown at compile time, and the
  // budget's charge at the position of the expression being evaluated.
  private readonly unknown = new Set<string>();
  private evalAt: Pos | undefined;
  private readonly charge = (n: number) => this.budget.charge(n, this.evalAt);
  constructor(private readonly opts: ExpandOptions) {}

  /** YAML text of the main file or a template → data, with positions; aliases charged to the budget. */
  read(text: string, file: string): unknown {
    return loadYaml(text, file, this.positions, this.diagnostics, { keys: this.keys, budget: this.budget });
  }

  report(code: AzureCode, message: string, at: Pos | undefined, file: string): void {
    this.diagnostics.push({ severity: CODES[code].severity, code, message, path: "", file: at?.file ?? file, line: at?.line ?? 1, column: at?.column ?? 1 });
  }

  /** An expression's syntax tree, parsed once per expansion (throws ExprError). */
  private parse(src: string): Ast {
    let ast = this.asts.get(src);
    if (!ast) this.asts.set(src, (ast = parseExpression(src)));
    return ast;
  }

  /** Evaluate `${{ src }}`. */
  eval(src: string, f: Frame, at: Pos | undefined): { ok: true; value: unknown } | { ok: false } {
    try {
      const unknown = this.unknown;
      unknown.clear();
      this.evalAt = at;
      const value = evaluate(this.parse(src.trim()), {
        parameters: f.scope.parameters,
        variables: f.scope.variables,
        locals: f.scope.locals,
        unknown,
        charge: this.charge,
      });
      const runtime = unknown.size ? [...unknown].filter((u) => !/^parameters\./i.test(u)) : [];
      if (runtime.length)
        this.report(
          "PG-ADO-IMPORT-EXPRESSION",
          `\${{${src}}} uses ${runtime.join(", ")}, known only when Azure runs the pipeline; evaluated as empty`,
          at,
          f.file,
        );
      return { ok: true, value };
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      this.report("PG-ADO-IMPORT-EXPRESSION", `cannot evaluate \${{${src}}}: ${e.message}; left as text`, at, f.file);
      return { ok: false };
    }
  }

  /**
   * Expand `${{ }}` inside a string. The string's own text and every value it takes in count
   * against the output budget before they are copied or appended.
   */
  string(s: string, f: Frame, at: Pos | undefined): unknown {
    this.budget.charge(s.length, at, 1);
    if (!s.includes("${{")) return s;
    const whole = EXPR_ONLY.exec(s);
    if (whole && !whole[1]!.includes("}}")) {
      const r = this.eval(whole[1]!, f, at);
      if (!r.ok) return s;
      if (r.value === undefined) return "";
      // A copy of a whole value (a parameter's list, say) costs its size each time it is made.
      this.budget.measure(r.value, at);
      return structuredClone(r.value);
    }
    let out = "";
    let i = 0;
    while (i < s.length) {
      const start = s.indexOf("${{", i);
      if (start < 0) break;
      const end = findClose(s, start + 3);
      if (end < 0) break;
      out += s.slice(i, start);
      const r = this.eval(s.slice(start + 3, end), f, at);
      const piece = r.ok ? toStr(r.value) : s.slice(start, end + 2);
      this.budget.charge(piece.length, at);
      out += piece;
      i = end + 2;
    }
    return out + s.slice(i);
  }

  value(v: unknown, f: Frame, at?: Pos): unknown {
    if (typeof v === "string") return this.string(v, f, at);
    if (Array.isArray(v)) return this.seq(v, f);
    if (isObject(v)) return this.map(v, f);
    this.budget.charge(0, at, 1);
    return v;
  }

  /** Where the directive key `k` of the mapping `o` was written (else `at`, the mapping's place). */
  private keyAt(o: object, k: string, at: Pos | undefined): Pos | undefined {
    return this.keys.get(o)?.[k] ?? at;
  }

  private keep<T extends object>(src: object, out: T): T {
    const p = this.positions.get(src);
    if (p) this.positions.set(out, p);
    return out;
  }

  /**
   * Runs directives (`if`/`each`/...) for one key; calls `emit` with each inserted value, one level
   * deeper. Each value inserted counts against the budgets, reported at `at`, the directive's place.
   */
  private directive(
    key: string,
    body: unknown,
    f: Frame,
    chain: { taken: boolean | undefined },
    at: Pos | undefined,
    into: (v: unknown, f: Frame) => void,
  ): boolean {
    const m = DIRECTIVE.exec(key.trim());
    if (!m) return false;
    const emit = (v: unknown, fr: Frame) => {
      this.budget.item(at);
      this.budget.nest(at, () => into(v, fr));
    };
    const kind = m[1]!;
    const arg = m[2]!.trim();
    if (kind === "if" || kind === "elseif") {
      if (kind === "elseif" && chain.taken === undefined) this.report("PG-ADO-IMPORT-EXPRESSION", "${{ elseif }} without a preceding ${{ if }}", at, f.file);
      if (kind === "elseif" && chain.taken) return true;
      const r = this.eval(arg, f, at);
      const yes = r.ok && truthy(r.value);
      chain.taken = yes;
      if (yes) emit(body, f);
    } else if (kind === "else") {
      if (chain.taken === undefined) this.report("PG-ADO-IMPORT-EXPRESSION", "${{ else }} without a preceding ${{ if }}", at, f.file);
      if (!chain.taken) emit(body, f);
      chain.taken = undefined;
    } else if (kind === "insert") {
      emit(body, f);
    } else {
      const em = /^([A-Za-z_][A-Za-z0-9_]*)\s+in\s+([\s\S]+)$/.exec(arg);
      if (!em) {
        this.report("PG-ADO-IMPORT-EXPRESSION", `cannot read \${{ each ${arg} }}: expected \${{ each <name> in <expression> }}`, at, f.file);
        return true;
      }
      const r = this.eval(em[2]!, f, at);
      if (!r.ok) return true;
      const coll = r.value;
      const items: unknown[] = Array.isArray(coll) ? coll : isObject(coll) ? Object.entries(coll).map(([key, value]) => ({ key, value })) : [];
      for (const item of items) emit(body, { ...f, scope: { ...f.scope, locals: { ...f.scope.locals, [em[1]!]: item } } });
    }
    return true;
  }

  map(o: Record<string, unknown>, f: Frame): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const at = this.positions.get(o);
    this.budget.charge(0, at, 1);
    const chain: { taken: boolean | undefined } = { taken: undefined };
    for (const [k, v] of Object.entries(o)) {
      if (k.trimStart().startsWith("${{")) {
        const kat = this.keyAt(o, k, at);
        const handled = this.directive(k, v, f, chain, kat, (body, fr) => {
          const x = this.value(body, fr, kat);
          if (isObject(x)) Object.assign(out, x);
          else if (x !== null && x !== undefined) this.report("PG-ADO-IMPORT-EXPRESSION", `${k} in a mapping must hold a mapping`, kat, f.file);
        });
        if (handled) continue;
        const key = toStr(this.string(k, f, kat));
        out[key] = this.value(v, f, at);
        chain.taken = undefined;
        continue;
      }
      chain.taken = undefined;
      this.budget.charge(k.length, at);
      out[k] = this.value(v, f, at);
    }
    return this.keep(o, out);
  }

  seq(a: unknown[], f: Frame): unknown[] {
    const out: unknown[] = [];
    this.budget.charge(0, this.positions.get(a), 1);
    const chain: { taken: boolean | undefined } = { taken: undefined };
    for (const item of a) {
      const at = (isObject(item) || Array.isArray(item) ? this.positions.get(item) : undefined) ?? this.positions.get(a);
      if (isObject(item)) {
        const keys = Object.keys(item);
        if (keys.length >= 1 && DIRECTIVE.test(keys[0]!.trim())) {
          for (const k of keys) {
            const kat = this.keyAt(item, k, at);
            this.directive(k, item[k], f, chain, kat, (body, fr) => {
              const x = this.value(body, fr, kat);
              if (Array.isArray(x)) out.push(...x);
              else if (x !== null && x !== undefined) out.push(x);
            });
          }
          continue;
        }
        if (typeof item.template === "string" && keys.every((k) => k === "template" || k === "parameters")) {
          chain.taken = undefined;
          out.push(...this.include(item, f, at));
          continue;
        }
      }
      chain.taken = undefined;
      const x = this.value(item, f, at);
      // A whole-item expression that yields a list is spliced in (e.g. `- ${{ parameters.steps }}`).
      if (typeof item === "string" && Array.isArray(x)) out.push(...x);
      else out.push(x);
    }
    return this.keep(a, out);
  }

  /** Resolve a template path; undefined (with a diagnostic) when it cannot be read. */
  resolve(ref: string, f: Frame, at: Pos | undefined): string | undefined {
    const [p, alias] = ref.split("@") as [string, string | undefined];
    if (alias && alias !== "self") {
      const root = this.opts.templateRoots?.[alias];
      if (root === undefined) {
        this.report(
          "PG-ADO-IMPORT-TEMPLATE-REMOTE",
          `template ${ref} lives in repository ${alias}; pass templateRoots { ${alias}: <folder> } to read it`,
          at,
          f.file,
        );
        return undefined;
      }
      return posixJoin(root.replace(/\\/g, "/").replace(/\/$/, ""), p.replace(/^\//, ""));
    }
    return p.startsWith("/") ? posixJoin("", p) : posixJoin(dirOf(f.file), p);
  }

  /**
   * A template file's data, read and parsed once per expansion (the data is never modified);
   * undefined when it cannot be read.
   */
  private template(path: string): { data: unknown } | undefined {
    if (this.templates.has(path)) return this.templates.get(path);
    const text = this.opts.readFile?.(path);
    const read = text === undefined ? undefined : { data: this.read(text, path) };
    if (read && !this.files.includes(path)) this.files.push(path);
    this.templates.set(path, read);
    return read;
  }

  /**
   * Load, parameterize and expand a template file; returns the file's data, "unread" when the file
   * cannot be read (the caller keeps the reference), undefined after an error.
   */
  load(ref: string, args: unknown, f: Frame, at: Pos | undefined): { body: Record<string, unknown>; frame: Frame } | "unread" | undefined {
    if (f.depth >= MAX_DEPTH) {
      this.report("PG-ADO-IMPORT-TEMPLATE-DEPTH", `template ${ref} is nested more than ${MAX_DEPTH} levels deep`, at, f.file);
      return undefined;
    }
    const path = this.resolve(ref, f, at);
    if (path === undefined) return "unread";
    const read = this.template(path);
    if (!read) {
      this.report(
        "PG-ADO-IMPORT-TEMPLATE-MISSING",
        `template ${ref} (${path}) could not be read${this.opts.readFile ? "" : " (no readFile given)"}`,
        at,
        f.file,
      );
      return "unread";
    }
    this.budget.item(at);
    const data = read.data;
    if (!isObject(data)) return undefined;
    const passed = isObject(args) ? (this.value(args, f, at) as Record<string, unknown>) : {};
    const parameters = templateParameters(data.parameters, passed);
    const frame: Frame = { file: path, depth: f.depth + 1, scope: { parameters, variables: f.scope.variables, locals: {} } };
    const { parameters: _p, ...rest } = data;
    void _p;
    return { body: rest, frame };
  }

  /**
   * The reference to a template that could not be read, kept as it is (its parameters expanded) so
   * that the importer can carry it: `{ template, parameters? }` with the position of the original.
   */
  unread(item: Record<string, unknown>, f: Frame, at: Pos | undefined): Record<string, unknown> {
    const ref: Record<string, unknown> = { template: String(item.template) };
    if (item.parameters !== undefined && item.parameters !== null) ref.parameters = this.value(item.parameters, f, at);
    if (at) this.positions.set(ref, at);
    return ref;
  }

  include(item: Record<string, unknown>, f: Frame, at: Pos | undefined): unknown[] {
    const t = this.load(String(item.template), item.parameters, f, at);
    if (t === "unread") return [this.unread(item, f, at)];
    if (!t) return [];
    const body = this.budget.within(at, () => this.map(t.body, t.frame));
    for (const key of ["stages", "jobs", "steps", "variables"]) {
      if (key in body) {
        const v = body[key];
        if (key === "variables" && isObject(v)) return Object.entries(v).map(([name, value]) => ({ name, value: toStr(value) }));
        return Array.isArray(v) ? v : [];
      }
    }
    return [];
  }
}

function findClose(s: string, from: number): number {
  let inStr = false;
  for (let i = from; i < s.length; i++) {
    if (s[i] === "'") inStr = !inStr;
    else if (!inStr && s.startsWith("}}", i)) return i;
  }
  return -1;
}

/** Declared parameters (list or legacy map form) with their defaults, overlaid with passed values. */
function templateParameters(decl: unknown, passed: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (Array.isArray(decl)) {
    for (const p of decl)
      if (isObject(p) && typeof p.name === "string")
        out[p.name] = p.default ?? (p.type === "boolean" ? false : p.type === "object" || p.type?.toString().endsWith("List") ? [] : "");
  } else if (isObject(decl)) Object.assign(out, decl);
  for (const [k, v] of Object.entries(passed)) out[k] = v;
  return out;
}

/**
 * Expand a whole pipeline file. Root `parameters` are runtime parameters: their defaults (or
 * opts.parameters) are used. `extends` is followed; the template's content replaces it. A file that
 * crosses a budget (budget.ts) yields no value and one error, PG-ADO-IMPORT-TEMPLATE-BUDGET, at the
 * directive or template that crossed it.
 */
export function expandTemplates(text: string, file: string, opts: ExpandOptions = {}): ExpandResult {
  const ex = new Expander(opts);
  ex.files.push(file);
  try {
    return { value: expandRoot(ex, text, file, opts), diagnostics: ex.diagnostics, positions: ex.positions, files: ex.files };
  } catch (e) {
    if (!(e instanceof BudgetError)) throw e;
    // What came before is cut short (and may be thousands of repeats): the budget is the one finding.
    ex.diagnostics.length = 0;
    ex.report("PG-ADO-IMPORT-TEMPLATE-BUDGET", e.message, e.at, file);
    return { value: undefined, diagnostics: ex.diagnostics, positions: ex.positions, files: ex.files };
  }
}

function expandRoot(ex: Expander, text: string, file: string, opts: ExpandOptions): unknown {
  const raw = ex.read(text, file);
  if (!isObject(raw)) return raw;
  const parameters = templateParameters(raw.parameters, opts.parameters ?? {});
  const frame: Frame = { file, depth: 0, scope: { parameters, variables: {}, locals: {} } };
  // Compile-time variables: root variables (map or list of name/value), before the rest.
  const vars = raw.variables;
  const expandedVars = vars === undefined ? undefined : ex.value(vars, frame, ex.positions.get(raw));
  const scopeVars: Record<string, unknown> = {};
  if (isObject(expandedVars)) Object.assign(scopeVars, expandedVars);
  else if (Array.isArray(expandedVars)) for (const v of expandedVars) if (isObject(v) && typeof v.name === "string") scopeVars[v.name] = v.value;
  frame.scope.variables = scopeVars;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === "variables") out[k] = expandedVars;
    else if (k === "parameters") out[k] = v;
    else if (k === "extends" && isObject(v) && typeof v.template === "string") {
      const at = ex.positions.get(v) ?? ex.positions.get(raw);
      const t = ex.load(v.template, v.parameters, frame, at);
      if (t === "unread") out[k] = ex.unread(v, frame, at);
      else if (t) {
        const body = ex.budget.within(at, () => ex.map(t.body, { ...t.frame, scope: { ...t.frame.scope, variables: scopeVars } }));
        for (const [bk, bv] of Object.entries(body)) {
          if (bk === "variables" && out.variables !== undefined && Array.isArray(bv) && Array.isArray(out.variables)) out.variables = [...out.variables, ...bv];
          else if (!(bk in out) || bk === "stages" || bk === "jobs" || bk === "steps") out[bk] = bv;
        }
      }
    } else if (k.trimStart().startsWith("${{")) {
      // A root directive, expanded as a one-key mapping that keeps the key's place.
      const one = { [k]: v };
      const at = ex.keys.get(raw)?.[k];
      if (at) ex.keys.set(one, { [k]: at });
      Object.assign(out, ex.map(one, frame));
    } else out[k] = ex.value(v, frame, ex.positions.get(raw));
  }
  if (ex.positions.get(raw)) ex.positions.set(out, ex.positions.get(raw)!);
  return out;
}
