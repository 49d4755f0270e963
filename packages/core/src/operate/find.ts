/** Finding what a command names (a stage, a run) with a not-found error that lists what exists. */
import { PipeglotError } from "../errors.js";

const list = (names: readonly string[]) => (names.length ? names.join(", ") : "none");

/**
 * The stage named `name` (exactly, else the one whose name matches ignoring case); a `not-found`
 * PipeglotError listing the stages otherwise.
 */
export function findStage<T extends { name: string }>(stages: readonly T[], name: string, pipeline: string): T {
  const exact = stages.find((s) => s.name === name);
  if (exact) return exact;
  const folded = stages.filter((s) => s.name.toLowerCase() === name.toLowerCase());
  if (folded.length === 1) return folded[0]!;
  throw new PipeglotError(`pipeline ${pipeline} has no stage ${JSON.stringify(name)} (stages: ${list(stages.map((s) => s.name))})`, "not-found");
}

/** A `not-found` error for a run id, naming the newest runs there are. */
export function runNotFound(pipeline: string, run: string, known: readonly string[] = []): PipeglotError {
  const hint = known.length ? ` (latest runs: ${known.slice(0, 5).join(", ")})` : " (it has no runs yet: start one with pipeglot run)";
  return new PipeglotError(`pipeline ${pipeline} has no run ${JSON.stringify(run)}${hint}`, "not-found");
}

/** A `not-found` error for a pipeline without any run. */
export const noRuns = (pipeline: string): PipeglotError => new PipeglotError(`pipeline ${pipeline} has no runs yet: start one with pipeglot run`, "not-found");

/** A `not-found` error for a decision without a pending approval, saying where the run is. */
export function noPendingApproval(pipeline: string, stage: string, where?: string): PipeglotError {
  return new PipeglotError(`no approval is waiting before stage ${stage} of ${pipeline}${where ? ` (${where})` : ""}`, "not-found");
}
