/**
 * Golden files: every example compiles to examples/<name>/out/oci/ byte for byte (regressions
 * only; UPDATE_GOLDEN=1 rewrites them). Compiling twice gives the same bytes.
 */
import { describe, expect, it } from "vitest";
import { validateFile } from "@pipeglot/schema";
import { compile, CODES } from "@pipeglot/oci";
import { checkGolden } from "../helpers/golden.js";
import { examples } from "../helpers/paths.js";
import { join } from "node:path";

describe("OCI golden files", () => {
  for (const ex of examples()) {
    it(ex.name, async () => {
      const r = await validateFile(ex.file);
      expect(r.ir).toBeDefined();
      const a = compile(r.ir!);
      const b = compile(structuredClone(r.ir!));
      expect(b).toEqual(a);
      expect(a.files.map((f) => f.path)).toEqual([...a.files.map((f) => f.path)].sort());
      for (const d of a.diagnostics) expect(Object.keys(CODES)).toContain(d.code);
      expect(checkGolden(join(ex.dir, "out", "oci"), a)).toEqual([]);
    });
  }
});
