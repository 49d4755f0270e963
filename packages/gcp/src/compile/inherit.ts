/**
 * Conditions a job inherits through `needs`. In the definition a stage (job) whose needed stage
 * (job) was skipped is skipped too, unless its own condition's status is `always` or `failure`;
 * Cloud Build has no skipped step, only pipeglot's guards, so each step also carries the branch and
 * variable tests of the stages (and jobs of its stage) it transitively needs through
 * `success` conditions. A failed test there skips the step at the level of the unit that needs.
 */
import type { ConditionIR, JobIR, PipelineIR, StageIR } from "@pipeglot/schema";

const tests = (c: ConditionIR | undefined): c is ConditionIR => c !== undefined && (c.branches.length > 0 || Object.keys(c.variables).length > 0);
const passesSkip = (c: ConditionIR | undefined) => (c?.status ?? "success") === "success";

/** The testable conditions of the units `start` transitively needs, each reached through success conditions only. */
function upstream<T extends { name: string; needs: string[]; condition?: ConditionIR }>(all: readonly T[], start: T): ConditionIR[] {
  const out: ConditionIR[] = [];
  const seen = new Set<string>([start.name]);
  const walk = (u: T) => {
    if (!passesSkip(u.condition)) return;
    for (const n of u.needs) {
      const v = all.find((x) => x.name === n);
      if (!v || seen.has(n)) continue;
      seen.add(n);
      if (tests(v.condition)) out.push(v.condition);
      walk(v);
    }
  };
  walk(start);
  return out;
}

interface Inherited {
  stage: ConditionIR[];
  job: ConditionIR[];
}

export function inheritedConditions(ir: PipelineIR, stage: StageIR, job: JobIR): Inherited {
  return { stage: upstream(ir.stages, stage), job: upstream(stage.jobs, job) };
}
