/**
 * Golden files: the examples and the per-feature pairs (test/golden/azure/), through the shared
 * runner; and no secret value in any file (only references and $(VAR) macros).
 */
import { expect } from "vitest";
import { provider } from "@pipeglot/azure";
import { goldenSuite } from "../runner/golden.js";

goldenSuite(provider, {
  check: (_c, _ir, out) => {
    for (const f of out.files) expect(f.content, f.path).not.toMatch(/password\s*[:=]\s*[^$\s"']/i);
  },
});
