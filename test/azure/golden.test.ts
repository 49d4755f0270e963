/**
 * Golden files: every example compiles to examples/<name>/out/azure/ byte for byte; compiling
 * twice gives the same bytes; every diagnostic code comes from the provider's table.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateFile } from "@pipeglot/schema";
import provider, { compile, CODES } from "@pipeglot/azure";
import { FEATURES } from "@pipeglot/core";
import { checkGolden } from "../helpers/golden.js";
import { examples } from "../helpers/paths.js";

describe("azure golden files", () => {
  for (const ex of examples()) {
    it(ex.name, async () => {
      const r = await validateFile(ex.file);
      expect(r.ir, JSON.stringify(r.diagnostics)).toBeDefined();
      const out = compile(r.ir!);
      expect(checkGolden(join(ex.dir, "out", "azure"), out)).toEqual([]);
      const again = compile((await validateFile(ex.file)).ir!);
      expect(again).toEqual(out);
      for (const d of out.diagnostics) {
        expect(Object.keys(CODES)).toContain(d.code);
        expect(d.path.startsWith("/") || d.path === "").toBe(true);
      }
      expect(out.files.map((f) => f.path)).toEqual([...out.files.map((f) => f.path)].sort());
      // No secret value: only references (the example's azure refs) and $(VAR) macros.
      for (const f of out.files) expect(f.content).not.toMatch(/password\s*[:=]\s*[^$\s"']/i);
    });
  }
  it("has one capability row per neutral feature, with codes from the table", () => {
    expect(provider.capabilities.map((c) => c.feature).sort()).toEqual(Object.keys(FEATURES).sort());
    for (const c of provider.capabilities) if (c.code) expect(Object.keys(CODES)).toContain(c.code);
    for (const c of provider.capabilities) if (c.support !== "native") expect(c.code, c.feature).toBeDefined();
  });
});
