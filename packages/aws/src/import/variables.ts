/** Pipeline variables → neutral variables (renamed to env names; fixed ones from the pipeglot tag). */
import type { VariableIR } from "@pipeglot/schema";
import { isObject } from "@pipeglot/core";
import { TAG } from "../encoding.js";
import { envName } from "../names.js";
import { str, type DeclarationContext } from "./context.js";

export function importVariables(cx: DeclarationContext): Record<string, VariableIR> {
  const { map, P } = cx;
  const fixed = new Set((cx.tag(TAG.fixedVariables) ?? "").split(" ").filter(Boolean));
  const variables: Record<string, VariableIR> = {};
  (cx.inp.decl.variables ?? []).filter(isObject).forEach((v, i) => {
    const n = envName(str(v.name));
    if (n !== str(v.name)) cx.report("PG-AWS-IMPORT-NAME", map, P("variables", i), `variable ${JSON.stringify(str(v.name))} renamed ${n}`, `/variables/${n}`);
    variables[n] = { default: str(v.defaultValue), overridable: !fixed.has(n) };
    if (v.description !== undefined && v.description !== "") variables[n]!.description = str(v.description);
    cx.sm.set(`/variables/${n}`, map, P("variables", i));
  });
  return variables;
}
