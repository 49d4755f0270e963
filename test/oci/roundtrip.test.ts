/**
 * Round trip: import(compile(x)) equals x for every example, apart from the documented losses
 * below (each one is a lossy mapping with its own diagnostic code, or data OCI has no field for).
 * The imported IR must also denormalize to a valid neutral document.
 */
import { describe, expect, it } from "vitest";
import { toYaml } from "@pipeglot/core";
import { denormalize, validate, validateFile } from "@pipeglot/schema";
import { compile, importFiles } from "@pipeglot/oci";
import { examples } from "../helpers/paths.js";
import { normalizeForCompare } from "./losses.js";

describe("OCI round trip: import(compile(x)) = x apart from the known losses", () => {
  for (const ex of examples()) {
    it(ex.name, async () => {
      const r = await validateFile(ex.file);
      expect(r.ir, r.diagnostics.map((d) => d.message).join("\n")).toBeDefined();
      const out = compile(r.ir!);
      const back = importFiles(out.files.map((f) => ({ path: f.path, content: f.content })));
      expect(back.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
      expect(back.pipeline).toBeDefined();
      expect(normalizeForCompare(back.pipeline!)).toEqual(normalizeForCompare(r.ir!));
      // The imported pipeline is a valid neutral document.
      const v = validate(toYaml(denormalize(back.pipeline!)), { file: `${ex.name}.pipeglot.yaml` });
      expect(v.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      // compile → import → compile gives the same files again.
      expect(compile(back.pipeline!).files.map((f) => f.path)).toEqual(out.files.map((f) => f.path));
    });
  }
});
