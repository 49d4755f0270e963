// `npm run fuzz [-- RUNS [SEED]]`: the compile invariant (test/property/compile-invariant.test.ts)
// over many random valid definitions (default 20000), counting failures per provider without
// stopping, then printing the figures (cases, failures and positioned refusals per provider,
// wall time, the seed) and the smallest failing definition per provider.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const [runs = "20000", seed] = process.argv.slice(2);
if (!/^\d+$/.test(runs) || (seed !== undefined && !/^\d+$/.test(seed))) {
  console.error("usage: npm run fuzz -- [RUNS] [SEED]");
  process.exit(2);
}
const env = { ...process.env, FUZZ_RUNS: runs, ...(seed ? { FUZZ_SEED: seed } : {}) };
const vitest = join(REPO, "node_modules/vitest/vitest.mjs");
const r = spawnSync(process.execPath, [vitest, "run", "test/property/compile-invariant.test.ts", "--reporter=verbose"], { cwd: REPO, env, stdio: "inherit" });
process.exit(r.status ?? 1);
