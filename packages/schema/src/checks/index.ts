import type { Check } from "./context.js";
import { artifactFlow } from "./artifacts.js";
import { cron } from "./cron.js";
import { duplicateNames } from "./duplicate-names.js";
import { expressionRefs } from "./expressions.js";
import { firstStageGate } from "./gates.js";
import { names } from "./names.js";
import { needsCycle, needsUnknown } from "./needs.js";
import { secretRefs, stepKind } from "./shape.js";

/** Every semantic check, in the order they run. */
export const CHECKS: readonly Check[] = [names, duplicateNames, needsUnknown, needsCycle, artifactFlow, expressionRefs, firstStageGate, stepKind, secretRefs, cron];
export { makeContext, type Check, type CheckContext } from "./context.js";
export { cronProblem } from "./cron.js";
export { foldName } from "./names.js";
