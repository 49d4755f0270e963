/**
 * The reference order of a run (semantics items 1 and 3): stages and the jobs of a stage in their
 * `needs` DAG order, ties broken by the order written, so that a run is deterministic. A matrix
 * job stands for one job per cell of the cartesian product of its values.
 */
import { expandMatrix } from "@pipeglot/core";
import type { JobIR } from "@pipeglot/schema";

/**
 * `items` in an order where each comes after the items it needs (by name); among the items ready
 * at once, the one written first. Needs naming no item are ignored; a cycle (which validation
 * refuses) is broken by taking the remaining items in the order written.
 */
export function dagOrder<T extends { name: string; needs: readonly string[] }>(items: readonly T[]): T[] {
  const names = new Set(items.map((i) => i.name));
  const done = new Set<string>();
  const out: T[] = [];
  while (out.length < items.length) {
    const ready = items.find((i) => !done.has(i.name) && i.needs.every((n) => done.has(n) || !names.has(n)));
    const next = ready ?? items.find((i) => !done.has(i.name))!;
    done.add(next.name);
    out.push(next);
  }
  return out;
}

/** The cells a job runs as: one per matrix combination (keys in the order written, values in order), or one empty cell. */
export function cellsOf(job: Pick<JobIR, "matrix">): Record<string, string>[] {
  const cells = expandMatrix(job).map((c) => c.values);
  return cells.length > 0 ? cells : [{}];
}
