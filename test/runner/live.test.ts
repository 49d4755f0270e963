/**
 * The live scenarios of issue 14 item 6 on all four clouds, through the real SDKs against the
 * emulators: create, no-op plan, edit, conflict, prune only what is owned, fault storm, no
 * credential in any output. The scenarios of one cloud run in order on one emulated account (each
 * starts from what the previous one left). A scenario a cloud cannot do today is in its adapter's
 * `gaps` and runs as `it.fails`, named with the reason.
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import { ADAPTERS } from "./adapters.js";
import { LiveRunner, SCENARIOS, SCENARIO_RUNS, type Run } from "./live.js";

describe.each(ADAPTERS)("live sync on $id (real SDK, emulator)", (adapter) => {
  const run = {} as Run;
  beforeAll(async () => {
    run.runner = await LiveRunner.open(adapter);
  });
  afterAll(async () => {
    await run.runner?.close();
  });
  for (const scenario of SCENARIOS) {
    const gap = adapter.gaps[scenario];
    if (gap) {
      console.warn(`KNOWN GAP ${adapter.id} ${scenario}: ${gap}`);
      it.fails(`${scenario} (known gap, expected to fail: ${gap})`, { timeout: 240_000 }, () => SCENARIO_RUNS[scenario](run));
    } else it(scenario, { timeout: 240_000 }, () => SCENARIO_RUNS[scenario](run));
  }
});
