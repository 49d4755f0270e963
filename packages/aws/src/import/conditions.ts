/**
 * Conditions come back from pipeglot's header: a step's status, branches and variables (compile
 * writes them as a shell guard, or as the `finally` block). Without the header, a `finally`
 * command runs always. Stage and job conditions have no CodePipeline form (compile drops them).
 */
import type { ConditionIR } from "@pipeglot/schema";
import type { StepMeta } from "../encoding.js";

/** `always`: a `finally` command read without pipeglot's header. */
export function stepCondition(m: StepMeta, always: boolean): ConditionIR | undefined {
  const when = m.when ?? (always ? "always" : undefined);
  if (!(when || m.branches || m.variables)) return undefined;
  return { status: when ?? "success", branches: [...(m.branches ?? [])], variables: { ...(m.variables ?? {}) } };
}
