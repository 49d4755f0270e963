/** Azure condition expressions → neutral conditions (status, branches, variables), when they fit. */
import type { ConditionIR } from "@pipeglot/schema";
import { ExprError, parseExpression, type Ast } from "./template/expr.js";

const STATUS: Record<string, ConditionIR["status"]> = { succeeded: "success", failed: "failure", always: "always" };

const isSourceBranch = (a: Ast) =>
  a.t === "prop" && a.obj.t === "id" && a.obj.name.toLowerCase() === "variables" && a.key.t === "lit" && String(a.key.v).toLowerCase() === "build.sourcebranch";
const lit = (a: Ast | undefined): string | undefined => (a && a.t === "lit" && typeof a.v === "string" ? a.v : undefined);
const varName = (a: Ast): string | undefined =>
  a.t === "prop" && a.obj.t === "id" && a.obj.name.toLowerCase() === "variables" && a.key.t === "lit" ? String(a.key.v) : undefined;
const neutralRef = (ref: string) => (ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : ref);

/** A branch test → glob, or undefined. */
function branchGlob(a: Ast): string | undefined {
  if (a.t !== "call") return undefined;
  const fn = a.fn.toLowerCase();
  if ((fn === "eq" || fn === "startswith" || fn === "endswith") && a.args.length === 2 && isSourceBranch(a.args[0]!)) {
    const v = lit(a.args[1]);
    if (v === undefined) return undefined;
    if (fn === "eq") return neutralRef(v);
    if (fn === "startswith") return neutralRef(v) + "*";
    return undefined;
  }
  if (fn === "and" && a.args.length === 2) {
    const s = a.args[0]!;
    const e = a.args[1]!;
    if (
      s.t === "call" &&
      e.t === "call" &&
      s.fn.toLowerCase() === "startswith" &&
      e.fn.toLowerCase() === "endswith" &&
      isSourceBranch(s.args[0]!) &&
      isSourceBranch(e.args[0]!)
    ) {
      const p = lit(s.args[1]);
      const x = lit(e.args[1]);
      if (p !== undefined && x !== undefined) return neutralRef(p) + "*" + x;
    }
  }
  return undefined;
}

function branches(a: Ast): string[] | undefined {
  const g = branchGlob(a);
  if (g !== undefined) return [g];
  if (a.t === "call" && a.fn.toLowerCase() === "or" && a.args.length) {
    const gs = a.args.map(branchGlob);
    if (gs.every((x) => x !== undefined)) return gs as string[];
  }
  return undefined;
}

/** undefined when the expression has no neutral form. */
export function importCondition(text: string): ConditionIR | undefined {
  let ast: Ast;
  try {
    ast = parseExpression(text);
  } catch (e) {
    if (e instanceof ExprError) return undefined;
    throw e;
  }
  const parts = ast.t === "call" && ast.fn.toLowerCase() === "and" ? ast.args : [ast];
  const out: ConditionIR = { status: "always", branches: [], variables: {} };
  let status: ConditionIR["status"] | undefined;
  for (const p of parts) {
    if (p.t === "call" && p.args.length === 0 && STATUS[p.fn.toLowerCase()] && status === undefined) {
      status = STATUS[p.fn.toLowerCase()]!;
      continue;
    }
    const b = branches(p);
    if (b && out.branches.length === 0 && !(parts.length === 1 && p === ast && p.t === "call" && p.fn.toLowerCase() === "and" && false)) {
      out.branches = b;
      continue;
    }
    if (p.t === "call" && p.fn.toLowerCase() === "eq" && p.args.length === 2) {
      const n = varName(p.args[0]!);
      const v = lit(p.args[1]);
      // Only variables a neutral pipeline can declare (predefined dotted names such as System.JobAttempt are Azure's own).
      if (n !== undefined && v !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) {
        out.variables[n] = v;
        continue;
      }
    }
    return undefined;
  }
  // Without a status function Azure evaluates the condition whatever happened before: always.
  out.status = status ?? "always";
  return out;
}
