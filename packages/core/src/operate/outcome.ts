/**
 * Exit codes of `pipeglot status --watch` (and of run --watch): the run's outcome, so that a
 * script can wait for a gate. 2 (usage) and 3 (bug) keep their meaning for every command.
 */
import type { RunState } from "./run-model.js";

export const RUN_EXIT = { succeeded: 0, failed: 1, waitingForApproval: 4, held: 5 } as const;

/** Where a watch stops: the run finished, waits for a decision, or is held before a stage. */
export const isSettled = (s: RunState): boolean => s !== "queued" && s !== "running";

/** 0 succeeded, 1 failed or cancelled, 4 waiting for approval, 5 held; undefined while it still moves. */
export function runExitCode(s: RunState): number | undefined {
  switch (s) {
    case "succeeded":
      return RUN_EXIT.succeeded;
    case "failed":
    case "cancelled":
      return RUN_EXIT.failed;
    case "waiting-for-approval":
      return RUN_EXIT.waitingForApproval;
    case "held":
      return RUN_EXIT.held;
    default:
      return undefined;
  }
}
