/** Variables (root list form), runtime parameters for overridable variables, and secret groups. */
import type { AzParameter, AzVariable } from "../native/pipeline.js";
import type { Ctx } from "./context.js";
import { reportBranchName } from "./steps.js";
import { renderValue } from "./text.js";

const GROUP_REF = /^group:([^/]+)\/(.+)$/;

/** Azure variable name and group for each secret (reported once). */
export function secretNames(ctx: Ctx): { names: Map<string, string>; groups: string[]; header: string[] } {
  const names = new Map<string, string>();
  const groups = new Set<string>();
  const header: string[] = [];
  for (const [name, s] of Object.entries(ctx.ir.secrets)) {
    const ref = s.azure;
    if (!ref) {
      names.set(name, name);
      ctx.report(
        "PG-ADO-SECRET-MISSING",
        `/secrets/${name}`,
        `secret ${name} has no azure reference; define a secret variable ${name} in the pipeline settings`,
        "add azure: group:<variable-group>/<variable>",
      );
      continue;
    }
    const m = GROUP_REF.exec(ref);
    if (!m) {
      names.set(name, name);
      ctx.report("PG-ADO-SECRET-REF", `/secrets/${name}/azure`, `azure secret reference ${JSON.stringify(ref)} is not group:<variable-group>/<variable>`);
      continue;
    }
    groups.add(m[1]!);
    names.set(name, m[2]!);
    header.push(`pipeglot:secret ${name} ${ref}`);
  }
  return { names, groups: [...groups].sort(), header };
}

export function compileVariables(ctx: Ctx, groups: string[]): { variables?: AzVariable[]; parameters?: AzParameter[] } {
  const vars: AzVariable[] = groups.map((group) => ({ group }));
  const params: AzParameter[] = [];
  for (const [name, v] of Object.entries(ctx.ir.variables)) {
    if (v.overridable) {
      const p: AzParameter = { name, type: "string", default: v.default };
      if (v.description !== undefined) p.displayName = v.description;
      params.push(p);
      vars.push({ name, value: `\${{ parameters.${name} }}` });
      ctx.report("PG-ADO-VARIABLE-OVERRIDABLE", `/variables/${name}`, `overridable variable ${name} is written as the runtime parameter ${name}`);
    } else {
      const r = renderValue(v.default, ctx.refs);
      if (r.unescapable) ctx.report("PG-ADO-LITERAL-UNESCAPABLE", `/variables/${name}`, `the value of ${name} holds a $(...) that Azure may expand as a macro`);
      if (r.branchName) reportBranchName(ctx, `/variables/${name}`, `variable ${name}`);
      vars.push({ name, value: r.value });
      if (v.description !== undefined)
        ctx.report("PG-ADO-VARIABLE-DESCRIPTION", `/variables/${name}/description`, `the description of ${name} is not written (Azure variables have none)`);
    }
  }
  return { ...(params.length ? { parameters: params } : {}), ...(vars.length ? { variables: vars } : {}) };
}
