/** Golden files: each example's AWS output, byte for byte, under examples/<name>/out/aws/. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateFile } from "@pipeglot/schema";
import { compile } from "@pipeglot/aws";
import { checkGolden } from "../helpers/golden.js";
import { examples } from "../helpers/paths.js";

describe("AWS golden files", () => {
  for (const ex of examples()) {
    it(`${ex.name}: compiles deterministically to examples/${ex.name}/out/aws`, async () => {
      const r = await validateFile(ex.file);
      expect(r.ir, JSON.stringify(r.diagnostics)).toBeDefined();
      const a = compile(r.ir!);
      const b = compile(structuredClone(r.ir!));
      expect(b).toEqual(a);
      expect(a.files.map((f) => f.path)).toEqual([...a.files.map((f) => f.path)].sort());
      for (const f of a.files) expect(f.content).not.toMatch(/\r/);
      expect(checkGolden(join(ex.dir, "out", "aws"), a)).toEqual([]);
    });
  }
});
