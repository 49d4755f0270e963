import type { Diagnostic } from "../diagnostics.js";
import type { PipelineDocument } from "../document.js";
import type { PipelineIR } from "../ir.js";
import type { SourceMap } from "../source-map.js";
import { makeContext, type Check } from "./context.js";
import { artifactFlow } from "./artifacts.js";
import { cron } from "./cron.js";
import { duplicateNames } from "./duplicate-names.js";
import { expressionRefs } from "./expressions.js";
import { firstStageGate } from "./gates.js";
import { names } from "./names.js";
import { needsCycle, needsUnknown } from "./needs.js";
import { secretRefs, stepKind } from "./shape.js";
import { runSize } from "./size.js";

/** Every semantic check, in the order they run. */
export const CHECKS: readonly Check[] = [
  names,
  duplicateNames,
  needsUnknown,
  needsCycle,
  artifactFlow,
  expressionRefs,
  firstStageGate,
  stepKind,
  runSize,
  secretRefs,
  cron,
];
export { makeContext, type Check, type CheckContext } from "./context.js";

/** Every check on a schema-valid document and its IR; findings in check order. */
export function runChecks(doc: PipelineDocument, ir: PipelineIR, sourceMap: SourceMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ctx = makeContext(doc, ir, sourceMap, out);
  for (const c of CHECKS) c.run(ctx);
  return out;
}
export { cronProblem } from "./cron.js";
export { foldName } from "./names.js";
