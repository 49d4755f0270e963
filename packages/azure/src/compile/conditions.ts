/**
 * Neutral conditions → Azure condition expressions.
 * https://learn.microsoft.com/azure/devops/pipelines/process/expressions (functions, status checks)
 */
import type { ConditionIR } from "@pipeglot/schema";

export const quote = (s: string): string => `'${s.split("'").join("''")}'`;
const SOURCE_BRANCH = "variables['Build.SourceBranch']";

const STATUS_FN = { success: "succeeded()", failure: "failed()", always: "always()" } as const;

/** A branch glob as a test on Build.SourceBranch; `approximated` when the glob has inner wildcards. */
function branchTest(glob: string): { expr: string; approximated: boolean } {
  const ref = glob.startsWith("refs/") ? glob : `refs/heads/${glob}`;
  const first = ref.search(/[*?]/);
  if (first < 0) return { expr: `eq(${SOURCE_BRANCH}, ${quote(ref)})`, approximated: false };
  const prefix = ref.slice(0, first);
  const lastStar = Math.max(ref.lastIndexOf("*"), ref.lastIndexOf("?"));
  const suffix = ref.slice(lastStar + 1);
  const tail = ref.slice(first);
  if (tail === "*" || tail === "**") return { expr: `startsWith(${SOURCE_BRANCH}, ${quote(prefix)})`, approximated: false };
  const parts = [`startsWith(${SOURCE_BRANCH}, ${quote(prefix)})`];
  if (suffix) parts.push(`endsWith(${SOURCE_BRANCH}, ${quote(suffix)})`);
  return { expr: parts.length === 1 ? parts[0]! : `and(${parts.join(", ")})`, approximated: true };
}

export function conditionExpr(c: ConditionIR): { expr: string; approximated: string[] } {
  const parts: string[] = [STATUS_FN[c.status]];
  const approximated: string[] = [];
  if (c.branches.length) {
    const tests = c.branches.map((b) => {
      const t = branchTest(b);
      if (t.approximated) approximated.push(b);
      return t.expr;
    });
    parts.push(tests.length === 1 ? tests[0]! : `or(${tests.join(", ")})`);
  }
  for (const [k, v] of Object.entries(c.variables)) parts.push(`eq(variables[${quote(k)}], ${quote(v)})`);
  return { expr: parts.length === 1 ? parts[0]! : `and(${parts.join(", ")})`, approximated };
}
