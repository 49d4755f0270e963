/**
 * The order of a build's steps (https://cloud.google.com/build/docs/configuring-builds/configure-build-step-order):
 * a step waits for every id in its `waitFor` to complete successfully; without `waitFor` (or
 * with an empty one) it waits for all prior steps; `waitFor: ["-"]` starts it when the build
 * starts. Steps whose dependencies are done start at once, concurrently. When a step fails (and
 * its failure is not allowed) the build fails and no further step starts; steps already
 * running are let finish here (Cloud Build cancels them).
 */
import type { Step } from "./config.js";

/** Each step's dependencies as indexes; throws on a waitFor id no earlier step has. */
export function dependencies(steps: readonly Step[]): number[][] {
  return steps.map((s, i) => {
    const wf = s.waitFor ?? [];
    if (wf.length === 0) return [...Array(i).keys()];
    return wf
      .filter((w) => w !== "-")
      .map((w) => {
        const j = steps.findIndex((o, k) => k < i && o.id === w);
        if (j < 0) throw new Error(`step ${s.id ?? i} waits for ${w}, which is not an earlier step's id`);
        return j;
      });
  });
}

export interface Outcome {
  /** Completed successfully, or failed with the failure allowed: dependents may start. */
  ok: boolean;
}

/**
 * Runs the steps in waitFor order, `launch(i)` for each, `start` just before one starts
 * (synchronously, in file order among those that become ready together).
 */
export async function runInOrder(steps: readonly Step[], launch: (i: number) => Promise<Outcome>, start: (i: number) => void): Promise<void> {
  const deps = dependencies(steps);
  const done = new Map<number, boolean>();
  const running = new Map<number, Promise<void>>();
  let failed = false;
  for (;;) {
    if (!failed)
      for (let i = 0; i < steps.length; i++) {
        if (done.has(i) || running.has(i) || !deps[i]!.every((d) => done.get(d) === true)) continue;
        start(i);
        running.set(
          i,
          launch(i).then((o) => {
            done.set(i, o.ok);
            if (!o.ok) failed = true;
            running.delete(i);
          }),
        );
      }
    if (running.size === 0) return;
    await Promise.race(running.values());
  }
}
