/**
 * The order OCI runs a pipeline's stages in: each stage names its predecessors
 * (buildPipelineStagePredecessorCollection / deployStagePredecessorCollection; the pipeline's
 * own id marks a first stage), stages whose predecessors are all done run in parallel, and a
 * stage starts only after every predecessor succeeded. When a stage fails the run fails: the
 * stages already started finish, no new stage starts.
 * https://docs.oracle.com/iaas/Content/devops/using/managing_build_pipelines.htm ("Stages can be
 * added in a sequence or in parallel").
 */
import type { PipelineStage } from "./files.js";

/**
 * Runs the stages wave by wave (a wave: every stage whose predecessors have all succeeded; run
 * one after the other here, as if started together). Returns the stages that ran, by name, with
 * their result; stop() ends the run after the current wave without a failure (a rejected approval).
 */
export async function runDag(stages: readonly PipelineStage[], runOne: (s: PipelineStage) => Promise<boolean>): Promise<Map<string, boolean>> {
  const names = new Set(stages.map((s) => s.displayName));
  const done = new Map<string, boolean>();
  for (;;) {
    const wave = stages.filter((s) => !done.has(s.displayName) && s.predecessors.filter((p) => names.has(p)).every((p) => done.get(p) === true));
    if (wave.length === 0) return done;
    let failed = false;
    for (const s of wave) {
      const ok = await runOne(s);
      done.set(s.displayName, ok);
      if (!ok) failed = true;
    }
    if (failed) return done;
  }
}
