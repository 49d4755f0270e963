/** `--var NAME=VALUE` of pipeglot run: checked against the definition when there is one. */
import type { PipelineIR } from "@pipeglot/schema";
import { CliError } from "../io.js";

/** NAME=VALUE pairs (the value may hold "="); with a definition, each must name an overridable variable. */
export function parseVars(pairs: readonly string[], ir?: PipelineIR): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf("=");
    if (i <= 0) throw new CliError(`--var ${JSON.stringify(p)}: write NAME=VALUE`);
    const name = p.slice(0, i);
    if (ir && !(name in ir.variables))
      throw new CliError(`--var ${name}: the pipeline declares no variable ${name} (it has: ${Object.keys(ir.variables).join(", ") || "none"})`);
    if (ir && !ir.variables[name]!.overridable)
      throw new CliError(`--var ${name}: the variable is not overridable (the definition does not say overridable: true), so a run cannot set it`);
    vars[name] = p.slice(i + 1);
  }
  return vars;
}
