/**
 * Real files: every Azure pipeline in the shared corpus imports through `importPipeline` (the
 * import invariant) to a pipeline that validates, even when the templates it names are not in the
 * corpus; every diagnostic has a position. Prints clean / with warnings / failed.
 * (test/corpus/corpus.test.ts then holds each to the four providers' oracles.)
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importPipeline, toYaml } from "@pipeglot/core";
import { denormalize, validate } from "@pipeglot/schema";
import { provider } from "@pipeglot/azure";
import { CORPUS, sharedOrSkip } from "../helpers/paths.js";

const run = sharedOrSkip("Azure corpus import");

describe.runIf(run)("azure corpus import", () => {
  it("imports every corpus file to a valid pipeline, with positioned diagnostics", () => {
    const dir = join(CORPUS, "azure");
    const files = readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort();
    expect(files.length).toBeGreaterThan(0);
    const counts = { clean: 0, warnings: 0, failed: 0 };
    const lines: string[] = [];
    for (const f of files) {
      const content = readFileSync(join(dir, f), "utf8");
      // readFile resolves nothing: templates referenced by corpus files are not in the corpus.
      const r = importPipeline(provider, [{ path: f, content }], { readFile: () => undefined });
      for (const d of r.diagnostics) {
        expect(d.file, `${f} ${d.code}`).toBeDefined();
        expect(d.line).toBeGreaterThan(0);
      }
      const errors = r.diagnostics.filter((d) => d.severity === "error");
      expect(
        errors.map((d) => `${d.code} ${d.message}`),
        f,
      ).toEqual([]);
      expect(r.pipeline, f).toBeDefined();
      const v = validate(toYaml(denormalize(r.pipeline!)), { file: f });
      expect(
        v.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.path} ${d.message}`),
        f,
      ).toEqual([]);
      if (r.diagnostics.some((d) => d.severity === "warning")) counts.warnings++;
      else counts.clean++;
      const codes = [...new Set(r.diagnostics.map((d) => d.code))].sort().join(" ");
      lines.push(`${f}: ${r.pipeline!.stages.length} stage(s); ${r.diagnostics.length} diagnostic(s) ${codes}`);
    }
    console.log(
      `azure corpus: ${files.length} files — clean ${counts.clean}, with warnings ${counts.warnings}, failed ${counts.failed}\n  ${lines.join("\n  ")}`,
    );
  });
});
