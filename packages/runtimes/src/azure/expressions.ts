/**
 * Azure Pipelines runtime expressions, the subset pipeglot's compile writes in `condition:` (and a
 * little more): literals ('text' with '' for a quote, numbers, True/False), `variables['X']` /
 * `variables.X`, `dependencies.X.result`, functions and/or/not/eq/ne/startsWith/endsWith/contains/
 * in/notIn, and the status checks succeeded()/failed()/always()/succeededOrFailed()/canceled().
 * https://learn.microsoft.com/azure/devops/pipelines/process/expressions
 * String comparisons ignore case ("eq: ordinal ignore-case comparison for strings"; same page).
 */

export type Value = string | number | boolean | Value[] | undefined;

export interface ExprContext {
  /** A variable's value by name (names are case-insensitive in Azure), undefined when not defined. */
  variable(name: string): string | undefined;
  /** The result of a dependency (stage or job id) as Azure names it: Succeeded, Failed, Skipped... */
  dependency(name: string): string | undefined;
  /** The status checks in this context (job/stage: over dependencies; step: over the job so far). */
  status: { succeeded: boolean; failed: boolean };
}

type Node = { kind: "lit"; value: Value } | { kind: "call"; name: string; args: Node[] } | { kind: "path"; parts: string[] };

const TOKEN = /\s*(?:('(?:[^']|'')*')|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_.-]*)|(\[|\]|\(|\)|,))/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`unexpected text at ${at} in expression ${JSON.stringify(text)}`);
    out.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly t: string[]) {}
  private peek(): string | undefined {
    return this.t[this.i];
  }
  private take(expected?: string): string {
    const tok = this.t[this.i++];
    if (tok === undefined || (expected !== undefined && tok !== expected)) throw new Error(`expected ${expected ?? "a token"}, found ${tok ?? "the end"}`);
    return tok;
  }
  parseAll(): Node {
    const n = this.parse();
    if (this.i !== this.t.length) throw new Error(`unexpected ${this.peek()}`);
    return n;
  }
  parse(): Node {
    const tok = this.take();
    if (tok.startsWith("'")) return { kind: "lit", value: tok.slice(1, -1).split("''").join("'") };
    if (/^-?\d/.test(tok)) return { kind: "lit", value: Number(tok) };
    if (/^true$/i.test(tok)) return { kind: "lit", value: true };
    if (/^false$/i.test(tok)) return { kind: "lit", value: false };
    if (this.peek() === "(") {
      this.take("(");
      const args: Node[] = [];
      while (this.peek() !== ")") {
        args.push(this.parse());
        if (this.peek() === ",") this.take(",");
      }
      this.take(")");
      return { kind: "call", name: tok.toLowerCase(), args };
    }
    const parts = tok.split(".");
    while (this.peek() === "[") {
      this.take("[");
      const key = this.parse();
      this.take("]");
      parts.push(String(key.kind === "lit" ? key.value : ""));
    }
    return { kind: "path", parts };
  }
}

export function parseExpression(text: string): Node {
  return new Parser(tokenize(text)).parseAll();
}

/** Azure's truthiness: empty string, 0, False and null are false. */
export function truthy(v: Value): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  if (Array.isArray(v)) return true;
  return v !== undefined && v !== "";
}

const str = (v: Value): string => (v === undefined ? "" : typeof v === "boolean" ? (v ? "True" : "False") : String(v));
const same = (a: Value, b: Value): boolean => {
  if (typeof a === "number" || typeof b === "number") return Number(a) === Number(b);
  if (typeof a === "boolean" || typeof b === "boolean") return truthy(a) === truthy(b);
  return str(a).toLowerCase() === str(b).toLowerCase();
};

function path(parts: string[], ctx: ExprContext): Value {
  const [head, ...rest] = parts;
  if (head?.toLowerCase() === "variables") return ctx.variable(rest.join("."));
  if (head?.toLowerCase() === "dependencies" && rest.length >= 2 && rest[rest.length - 1]!.toLowerCase() === "result")
    return ctx.dependency(rest.slice(0, -1).join("."));
  return undefined;
}

function call(name: string, args: Node[], ctx: ExprContext): Value {
  const v = (k: number) => evaluate(args[k]!, ctx);
  switch (name) {
    case "and":
      return args.every((a) => truthy(evaluate(a, ctx)));
    case "or":
      return args.some((a) => truthy(evaluate(a, ctx)));
    case "not":
      return !truthy(v(0));
    case "eq":
      return same(v(0), v(1));
    case "ne":
      return !same(v(0), v(1));
    case "startswith":
      return str(v(0))
        .toLowerCase()
        .startsWith(str(v(1)).toLowerCase());
    case "endswith":
      return str(v(0))
        .toLowerCase()
        .endsWith(str(v(1)).toLowerCase());
    case "contains":
      return str(v(0))
        .toLowerCase()
        .includes(str(v(1)).toLowerCase());
    case "in":
      return args.slice(1).some((a) => same(v(0), evaluate(a, ctx)));
    case "notin":
      return !args.slice(1).some((a) => same(v(0), evaluate(a, ctx)));
    case "succeeded":
      return ctx.status.succeeded;
    case "failed":
      return ctx.status.failed;
    case "always":
      return true;
    case "succeededorfailed":
      return true;
    case "canceled":
      return false;
    default:
      throw new Error(`function ${name}() is not modelled`);
  }
}

export function evaluate(n: Node, ctx: ExprContext): Value {
  if (n.kind === "lit") return n.value;
  if (n.kind === "path") return path(n.parts, ctx);
  return call(n.name, n.args, ctx);
}

/** Evaluates a condition (absent: succeeded(), the default of stages, jobs and steps). */
export function condition(text: string | undefined, ctx: ExprContext): boolean {
  if (text === undefined || text.trim() === "") return ctx.status.succeeded;
  return truthy(evaluate(parseExpression(text), ctx));
}
