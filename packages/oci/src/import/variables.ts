/** Build pipeline parameters → variables (minus the ones pipeglot adds for the deploy pipeline). */
import type { VariableIR } from "@pipeglot/schema";
import { isObject } from "@pipeglot/core";
import { PASSED_VARIABLES, TAG } from "../conventions.js";
import { str, tagsOf, type Obj } from "./context.js";

export function importVariables(bp: Obj): { variables: Record<string, VariableIR>; params: Map<string, string> } {
  const fixed = new Set((tagsOf(bp)[TAG.fixedVariables] ?? "").split(",").filter(Boolean));
  const variables: Record<string, VariableIR> = {};
  const params = new Map<string, string>();
  const paramItems =
    isObject(bp.buildPipelineParameters) && Array.isArray((bp.buildPipelineParameters as Obj).items)
      ? ((bp.buildPipelineParameters as Obj).items as Obj[])
      : [];
  for (const p of paramItems) {
    const name = str(p.name);
    if (!name || (PASSED_VARIABLES as readonly string[]).includes(name)) continue;
    variables[name] = {
      default: str(p.defaultValue) ?? "",
      overridable: !fixed.has(name),
      ...(str(p.description) !== undefined ? { description: str(p.description)! } : {}),
    };
    params.set(name, name);
  }
  return { variables, params };
}
