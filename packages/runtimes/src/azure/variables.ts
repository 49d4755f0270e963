/**
 * Variables as the agent holds them for one job: names are case-insensitive, the most local
 * definition wins (job over stage over root), secret variables are never mapped to the
 * environment, every other one is, upper-cased with '.' → '_'.
 * https://learn.microsoft.com/azure/devops/pipelines/process/variables
 * Macros `$(name)` are replaced just before a task runs, only when a variable of that name exists
 * ("If there's no variable by that name, then the macro expression does not change"); the
 * replacement is not recursive (same page, "Macro syntax variables").
 */

export interface Variable {
  name: string;
  value: string;
  secret: boolean;
}

export class Scope {
  private readonly vars = new Map<string, Variable>();

  set(name: string, value: string, secret = false): void {
    this.vars.set(name.toLowerCase(), { name, value, secret });
  }

  get(name: string): string | undefined {
    return this.vars.get(name.trim().toLowerCase())?.value;
  }

  child(): Scope {
    const s = new Scope();
    for (const [k, v] of this.vars) s.vars.set(k, { ...v });
    return s;
  }

  /** `$(name)` macros of defined variables replaced by their values, left to right, not recursively. */
  expand(text: string): string {
    let out = "";
    let at = 0;
    for (;;) {
      const p = text.indexOf("$(", at);
      if (p < 0) break;
      const q = text.indexOf(")", p + 2);
      if (q < 0) break;
      const value = this.get(text.slice(p + 2, q));
      if (value === undefined) {
        out += text.slice(at, p + 1);
        at = p + 1;
        continue;
      }
      out += text.slice(at, p) + value;
      at = q + 1;
    }
    return out + text.slice(at);
  }

  /**
   * Macros inside variable values are expanded when the job starts (a variable may be defined from
   * others: `b: $(a)`), recursively, a reference cycle left as written (the agent's
   * Variables.RecalculateExpanded; "Define variables", https://learn.microsoft.com/azure/devops/pipelines/process/variables).
   */
  resolveValues(): void {
    const seen = new Set<string>();
    const resolve = (key: string, v: Variable): string => {
      if (seen.has(key) || !v.value.includes("$(")) return v.value;
      seen.add(key);
      v.value = v.value.replace(/\$\(([^)]*)\)/g, (m, name: string) => {
        const k = name.trim().toLowerCase();
        const other = this.vars.get(k);
        return other ? resolve(k, other) : m;
      });
      seen.delete(key);
      return v.value;
    };
    for (const [k, v] of this.vars) resolve(k, v);
  }

  /** The environment the agent gives a task: every non-secret variable, NAME upper-cased, '.' and ' ' → '_'. */
  environment(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const v of this.vars.values()) if (!v.secret) env[v.name.toUpperCase().replace(/[. ]/g, "_")] = v.value;
    return env;
  }
}

/** The branch as Azure names it: Build.SourceBranch is a full ref; Build.SourceBranchName its last segment.
 * https://learn.microsoft.com/azure/devops/pipelines/build/variables */
export function sourceBranch(branch: string): { ref: string; name: string } {
  const ref = branch.startsWith("refs/") ? branch : `refs/heads/${branch}`;
  return { ref, name: ref.slice(ref.lastIndexOf("/") + 1) };
}
