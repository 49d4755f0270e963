/**
 * Azure Pipelines expressions: the parser and the compile-time evaluator used by the template
 * engine (and by the condition importer, which only parses).
 * https://learn.microsoft.com/azure/devops/pipelines/process/expressions
 *
 * Grammar: literals ('text' with '' for a quote, numbers, True/False/Null), property access
 * (parameters.x, variables['a.b'], item.key, x[0]), and function calls f(a, b).
 */
import { isObject } from "@pipeglot/core";

export type Ast = { t: "lit"; v: unknown } | { t: "id"; name: string } | { t: "prop"; obj: Ast; key: Ast } | { t: "call"; fn: string; args: Ast[] };

export class ExprError extends Error {}

function tokenize(src: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let j = i + 1;
      let s = "";
      for (;;) {
        if (j >= src.length) throw new ExprError(`unterminated string in ${src}`);
        if (src[j] === "'") {
          if (src[j + 1] === "'") {
            s += "'";
            j += 2;
            continue;
          }
          break;
        }
        s += src[j++];
      }
      out.push("'" + s);
      i = j + 1;
    } else if (/[(),.[\]]/.test(c)) {
      // A '.' that starts a number (".5") is rare; treat '.' as member access.
      out.push(c);
      i++;
    } else if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(src[i + 1] ?? ""))) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      out.push("#" + m[0]);
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i))!;
      out.push(m[0]);
      i += m[0].length;
    } else throw new ExprError(`unexpected ${JSON.stringify(c)} in ${src}`);
  }
  return out;
}

export function parseExpression(src: string): Ast {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const next = () => {
    const t = toks[p++];
    if (t === undefined) throw new ExprError(`unexpected end of ${src}`);
    return t;
  };
  const expect = (t: string) => {
    if (next() !== t) throw new ExprError(`expected ${t} in ${src}`);
  };
  const primary = (): Ast => {
    const t = next();
    if (t.startsWith("'")) return { t: "lit", v: t.slice(1) };
    if (t.startsWith("#")) return { t: "lit", v: Number(t.slice(1)) };
    if (/^[A-Za-z_]/.test(t)) {
      const low = t.toLowerCase();
      if (low === "true") return { t: "lit", v: true };
      if (low === "false") return { t: "lit", v: false };
      if (low === "null") return { t: "lit", v: null };
      if (peek() === "(") {
        next();
        const args: Ast[] = [];
        if (peek() !== ")") {
          for (;;) {
            args.push(postfix());
            if (peek() === ",") {
              next();
              continue;
            }
            break;
          }
        }
        expect(")");
        return { t: "call", fn: t, args };
      }
      return { t: "id", name: t };
    }
    throw new ExprError(`unexpected ${t} in ${src}`);
  };
  const postfix = (): Ast => {
    let a = primary();
    for (;;) {
      if (peek() === ".") {
        next();
        const k = next();
        if (!/^[A-Za-z_0-9]/.test(k)) throw new ExprError(`expected a property name after . in ${src}`);
        a = { t: "prop", obj: a, key: { t: "lit", v: k } };
      } else if (peek() === "[") {
        next();
        const k = postfix();
        expect("]");
        a = { t: "prop", obj: a, key: k };
      } else return a;
    }
  };
  const ast = postfix();
  if (p !== toks.length) throw new ExprError(`unexpected ${toks[p]} in ${src}`);
  return ast;
}

/** Values visible to an expression; `unknown` collects names that only Azure knows at run time. */
export interface Scope {
  parameters: Record<string, unknown>;
  variables: Record<string, unknown>;
  locals: Record<string, unknown>;
  unknown?: Set<string>;
  /**
   * Told the size of each string (or list) a function is about to build, before it is built, so
   * that nested replace/format/join cannot grow a string past the template engine's output budget.
   */
  charge?: (units: number) => void;
}

export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false) return false;
  if (typeof v === "number") return v !== 0 && !Number.isNaN(v);
  if (typeof v === "string") return v.length > 0;
  return true;
}

export function toStr(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  return JSON.stringify(v);
}

/** Azure equality: the right side is converted to the left side's type; strings compare ignoring case. */
export function equals(a: unknown, b: unknown): boolean {
  if (typeof a === "string" || typeof b === "string") {
    if (typeof a === "number" || typeof b === "number") return Number(a) === Number(b);
    if (typeof a === "boolean") return a === truthy(b);
    return toStr(a).toLowerCase() === toStr(b).toLowerCase();
  }
  if (typeof a === "number" && typeof b === "number") return a === b;
  if (typeof a === "boolean" || typeof b === "boolean") return truthy(a) === truthy(b);
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  return a === b;
}

const lookup = (obj: unknown, key: unknown): unknown => {
  if (Array.isArray(obj)) return obj[Number(key)];
  if (isObject(obj)) {
    const k = toStr(key);
    if (k in obj) return obj[k];
    const found = Object.keys(obj).find((x) => x.toLowerCase() === k.toLowerCase());
    return found === undefined ? undefined : obj[found];
  }
  return undefined;
};

const num = (v: unknown) => (typeof v === "number" ? v : Number(toStr(v)));
const cmp = (a: unknown, b: unknown) => (typeof a === "number" ? a - num(b) : toStr(a).localeCompare(toStr(b), "en", { sensitivity: "base" }));

type Fn = (args: unknown[], lazy: Ast[], scope: Scope) => unknown;
const strFn =
  (f: (...s: string[]) => unknown): Fn =>
  (args) =>
    f(...args.map(toStr));

export const FUNCTIONS: Record<string, Fn> = {
  eq: ([a, b]) => equals(a, b),
  ne: ([a, b]) => !equals(a, b),
  not: ([a]) => !truthy(a),
  and: (args) => args.every(truthy),
  or: (args) => args.some(truthy),
  xor: ([a, b]) => truthy(a) !== truthy(b),
  gt: ([a, b]) => cmp(a, b) > 0,
  ge: ([a, b]) => cmp(a, b) >= 0,
  lt: ([a, b]) => cmp(a, b) < 0,
  le: ([a, b]) => cmp(a, b) <= 0,
  in: ([a, ...rest]) => rest.some((r) => equals(a, r)),
  notin: ([a, ...rest]) => !rest.some((r) => equals(a, r)),
  contains: ([a, b]) => (Array.isArray(a) ? a.some((x) => equals(x, b)) : toStr(a).toLowerCase().includes(toStr(b).toLowerCase())),
  containsvalue: ([a, b]) => (Array.isArray(a) ? a : isObject(a) ? Object.values(a) : []).some((x) => equals(x, b)),
  startswith: strFn((a, b) => a.toLowerCase().startsWith(b.toLowerCase())),
  endswith: strFn((a, b) => a.toLowerCase().endsWith(b.toLowerCase())),
  lower: strFn((a) => a.toLowerCase()),
  upper: strFn((a) => a.toUpperCase()),
  trim: strFn((a) => a.trim()),
  replace: (args, _, scope) => {
    const [a, b, c] = args.map(toStr) as [string, string, string];
    if (!b) return a;
    scope.charge?.(a.length + occurrences(a, b) * Math.max(0, c.length - b.length));
    return a.split(b).join(c);
  },
  split: (args, _, scope) => {
    const [a, b] = args.map(toStr) as [string, string];
    scope.charge?.(a.length + (b ? occurrences(a, b) + 1 : a.length));
    return a.split(b);
  },
  join: ([sep, arr], _, scope) => {
    const parts = Array.isArray(arr) ? arr.map(toStr) : isObject(arr) ? Object.keys(arr) : undefined;
    if (!parts) return toStr(arr);
    const s = toStr(sep);
    scope.charge?.(parts.reduce((n, p) => n + p.length, 0) + s.length * Math.max(0, parts.length - 1));
    return parts.join(s);
  },
  length: ([a]) => (Array.isArray(a) ? a.length : isObject(a) ? Object.keys(a).length : toStr(a).length),
  coalesce: (args) => args.find((a) => a !== null && a !== undefined && a !== "") ?? null,
  format: ([f, ...rest], _, scope) =>
    toStr(f)
      .replace(/\{\{/g, "\u0000")
      .replace(/\}\}/g, "\u0001")
      .replace(/\{(\d+)(?::[^}]*)?\}/g, (_m, i: string) => {
        const piece = toStr(rest[Number(i)]);
        scope.charge?.(piece.length);
        return piece;
      })
      .replaceAll("\u0000", "{")
      .replaceAll("\u0001", "}"),
  iif: ([c, a, b]) => (truthy(c) ? a : b),
  converttojson: ([a]) => JSON.stringify(a, null, 2),
};

/** How many times `b` (not empty) occurs in `a`, without overlaps. */
function occurrences(a: string, b: string): number {
  let n = 0;
  for (let i = a.indexOf(b); i >= 0; i = a.indexOf(b, i + b.length)) n++;
  return n;
}

export function evaluate(ast: Ast, scope: Scope): unknown {
  switch (ast.t) {
    case "lit":
      return ast.v;
    case "id": {
      const n = ast.name;
      if (n in scope.locals) return scope.locals[n];
      const low = n.toLowerCase();
      if (low === "parameters") return scope.parameters;
      if (low === "variables") return scope.variables;
      scope.unknown?.add(n);
      return undefined;
    }
    case "prop": {
      const o = evaluate(ast.obj, scope);
      const k = evaluate(ast.key, scope);
      const v = lookup(o, k);
      if (v === undefined && scope.unknown) scope.unknown.add(`${describe(ast.obj)}.${toStr(k)}`);
      return v;
    }
    case "call": {
      const f = FUNCTIONS[ast.fn.toLowerCase()];
      if (!f) throw new ExprError(`unknown function ${ast.fn}() (or one that only runs when the pipeline runs)`);
      const r = f(
        ast.args.map((a) => evaluate(a, scope)),
        ast.args,
        scope,
      );
      if (typeof r === "string") scope.charge?.(r.length);
      return r;
    }
  }
}

function describe(a: Ast): string {
  return a.t === "id" ? a.name : a.t === "prop" ? `${describe(a.obj)}.${a.key.t === "lit" ? toStr(a.key.v) : "?"}` : a.t === "call" ? `${a.fn}()` : toStr(a.v);
}
