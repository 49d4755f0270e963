/**
 * Step results from what the build's shell really did: each header step's command started or not,
 * its exit status, the attempts the compiler's retry loop made (its pg_try counter), and the
 * commands recorded in the step's own log.
 */
import type { Sandbox } from "../sandbox.js";
import type { StepTrace } from "../trace.js";
import type { Header } from "./compiled.js";
import type { CommandResult, DriverCommand, StepChannel } from "./driver.js";

/** The compiler's wrapper for a failure-only step: its body runs only when the build is failing. */
const FAILURE_GUARD = 'if [ "$CODEBUILD_BUILD_SUCCEEDING" = "0" ]; then';

export function stepTraces(
  header: Header | undefined,
  commands: readonly DriverCommand[],
  results: readonly CommandResult[],
  channels: readonly StepChannel[],
  sandbox: Sandbox,
  src: string,
): StepTrace[] {
  return (header?.steps ?? []).map((s, i) => {
    const id = s.name ?? `step-${i + 1}`;
    const mine = commands.map((c, k) => ({ c, r: results[k] })).filter(({ c }) => c.step === i);
    // Not run: a failure-only step while the build succeeds, or a step whose condition guard said pg_skip.
    const ran = mine.filter(({ c, r }) => r?.started && !r.skipped && !(c.text.startsWith(FAILURE_GUARD) && r.succeeding !== "0"));
    if (ran.length === 0) return { id, status: "skipped", exit: 0, attempts: 0, commands: [] };
    const last = ran[ran.length - 1]!.r!;
    // Started but never ended: the build was stopped while it ran (timeout).
    // A continueOnError step: the command succeeded for CodeBuild; the wrapper's pg_exit is the step's own status.
    const exit = last.exit === undefined ? 124 : s.continueOnError && last.real !== undefined && last.exit === 0 ? last.real : last.exit;
    const log = channels[i]?.log;
    return {
      id,
      status: exit === 0 ? "succeeded" : "failed",
      exit,
      attempts: last.tries ?? 1,
      commands: log ? sandbox.records(log, src) : [],
    };
  });
}
