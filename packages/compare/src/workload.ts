/** The workload a comparison is priced for: runs a month and minutes per job, from the command line. */
import type { PipelineIR } from "@pipeglot/schema";
import type { Workload } from "@pipeglot/core";

export const DEFAULT_WORKLOAD: Workload = { runsPerMonth: 100, jobMinutes: 10, overrides: {} };

/** Job ids in the workload's overrides that the pipeline does not have. */
export function unknownJobs(ir: PipelineIR, w: Workload): string[] {
  const ids = new Set(ir.stages.flatMap((s) => s.jobs.map((j) => j.id)));
  return Object.keys(w.overrides).filter((k) => !ids.has(k));
}

/** Parse `--job-minutes` values: `N` sets the default, `<stage>.<job>=N` one job. */
export function parseJobMinutes(values: readonly string[], base: Workload = DEFAULT_WORKLOAD): { workload: Workload; errors: string[] } {
  const errors: string[] = [];
  let jobMinutes = base.jobMinutes;
  const overrides = { ...base.overrides };
  for (const raw of values) {
    const v = String(raw).trim();
    const m = /^(?:(.+)=)?\s*([0-9]+(?:\.[0-9]+)?)$/.exec(v);
    if (!m || Number(m[2]) <= 0) {
      errors.push(`--job-minutes ${JSON.stringify(v)}: expected minutes (e.g. 8) or <stage>.<job>=<minutes> (e.g. build.test=7), minutes > 0`);
      continue;
    }
    if (m[1]) overrides[m[1].trim()] = Number(m[2]);
    else jobMinutes = Number(m[2]);
  }
  return { workload: { ...base, jobMinutes, overrides }, errors };
}
