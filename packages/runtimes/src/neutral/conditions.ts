import { globsMatch } from "@pipeglot/core";
/**
 * Conditions of stages, jobs and steps (semantics items 1, 3 and 6): a status relative to what
 * came before (success by default), branch globs matched against the run's branch, and variables
 * equal to the run's values.
 */
import type { ConditionIR } from "@pipeglot/schema";
import type { RunInputs } from "../options.js";
import { renderText } from "./expand.js";

/** What a condition's status is judged against: the needed stages/jobs, or the earlier steps of a job. */
export interface Upstream {
  /** Every needed unit succeeded (true when there is none). */
  succeeded: boolean;
  /** Some needed unit failed. */
  failed: boolean;
}

/** Whether `branch` matches one of the globs (an empty list matches every branch): the format's one definition (core). */
function branchMatches(globs: readonly string[], branch: string): boolean {
  return globsMatch(globs, branch);
}

/** Whether a condition holds: status against `upstream`, branches against the run's branch, variables against its values. */
export function conditionHolds(cond: ConditionIR | undefined, upstream: Upstream, inputs: RunInputs): boolean {
  const status = cond?.status ?? "success";
  if (status === "success" && !upstream.succeeded) return false;
  if (status === "failure" && !upstream.failed) return false;
  if (!branchMatches(cond?.branches ?? [], inputs.branch)) return false;
  const values = { inputs, cell: {} };
  return Object.entries(cond?.variables ?? {}).every(([k, v]) => (inputs.variables[k] ?? "") === renderText(v, values));
}
