export * from "./types.js";
export { diffBodies } from "./diff.js";
export { plan, planHasChanges, type PlanOptions } from "./plan.js";
export { apply, type ApplyOptions } from "./apply.js";
export { renderApply, renderPlan } from "./render.js";
export * from "./kit/index.js";
import { OWNERSHIP } from "./kit/ownership.js";

/** Ownership markers put on everything pipeglot creates (the key=value forms of OWNERSHIP). */
export const MANAGED_BY_VALUE = OWNERSHIP.value;
export const HASH_TAG = OWNERSHIP.keyed.hash;
