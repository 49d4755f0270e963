/** Operating pipelines (issue #19): the run model, and what every provider and the CLI share. */
export * from "./run-model.js";
export { stageState, runState, skipUnstarted, type StageFacts } from "./rollup.js";
export { findStage, runNotFound, noRuns, noPendingApproval } from "./find.js";
export { RUN_EXIT, isSettled, runExitCode } from "./outcome.js";
export { renderRun, runHeader, runChanges, duration } from "./render.js";
