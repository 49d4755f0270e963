import type { JobIR } from "@pipeglot/schema";

export interface MatrixCell {
  /** e.g. { python: "3.12", os: "linux" } */
  values: Record<string, string>;
  /** A name suffix, e.g. "python-3.12-os-linux", sanitized later by each provider. */
  suffix: string;
}

/** Every combination of a job's matrix, in declaration order (first key varies slowest). [] without a matrix. */
export function expandMatrix(job: Pick<JobIR, "matrix">): MatrixCell[] {
  const m = job.matrix;
  if (!m || Object.keys(m).length === 0) return [];
  let cells: Record<string, string>[] = [{}];
  for (const [k, vs] of Object.entries(m)) cells = cells.flatMap((c) => vs.map((v) => ({ ...c, [k]: v })));
  return cells.map((values) => ({
    values,
    suffix: Object.values(values)
      .join("-")
      .replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-|-$/g, ""),
  }));
}
