/**
 * The import invariant's repair pass: whatever an importer read, the pipeline that leaves
 * `importPipeline` (core) is one `validate` accepts. Each rule the checks enforce has a repair here
 * that keeps as much as it can and says, with a warning at the IR pointer, what it changed:
 *
 *   values       empty text, out-of-range retries, artifacts without paths
 *   steps        a step with two kinds is split; a job or step with nothing to run fails loudly
 *   names        names outside the alphabet or colliding once folded become unique legal names
 *   needs        dependencies on what is not there, or that close a cycle, are dropped
 *   artifacts    consumes of artifacts no earlier job produces are dropped
 *   gates        approvals and disabled transitions on a first stage are dropped
 *   schedules    cron expressions that are not five valid fields are dropped
 *   expressions  malformed ${{ }} becomes literal text; undeclared references are declared
 *
 * Pure: the input IR is not modified.
 */
import type { Diagnostic } from "../diagnostics.js";
import type { PipelineIR } from "../ir.js";
import { repairNames } from "./names.js";
import { Repairs } from "./report.js";
import { repairArtifacts, repairGates, repairNeeds, repairSchedules, repairSteps } from "./structure.js";
import { repairExpressions, repairValues } from "./values.js";

export { REPAIR_CODES, type RepairCode } from "./codes.js";
export { failingCommand } from "./structure.js";
export { legalName } from "./names.js";

const PASSES = [repairValues, repairSteps, repairNames, repairNeeds, repairArtifacts, repairGates, repairSchedules, repairExpressions];

export interface Repaired {
  ir: PipelineIR;
  /** One warning per change, at the pointer of the repaired pipeline it changed (see origin). */
  diagnostics: Diagnostic[];
  /** Where a pointer of the repaired pipeline was in the importer's (for its source map). */
  origin(ptr: string): string;
}

export function repair(input: PipelineIR): Repaired {
  const ir = structuredClone(input);
  const r = new Repairs();
  for (const pass of PASSES) pass(ir, r);
  return { ir, diagnostics: r.diagnostics, origin: (ptr) => r.origin(ptr) };
}
