export * from "./types.js";
export { diffBodies } from "./diff.js";
export { plan, planHasChanges, type PlanOptions } from "./plan.js";
export { apply, type ApplyOptions } from "./apply.js";
export { withRetries, type RetryOptions } from "./retry.js";
export { renderApply, renderPlan } from "./render.js";

/** Ownership markers put on everything pipeglot creates. */
export const MANAGED_BY_TAG = "pipeglot:managed-by";
export const MANAGED_BY_VALUE = "pipeglot";
export const HASH_TAG = "pipeglot:hash";
