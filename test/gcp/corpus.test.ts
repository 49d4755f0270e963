/**
 * Real files: every Cloud Build config in the shared corpus imports without a crash, and what it
 * gives denormalizes into a valid neutral document. Prints clean / with warnings / failed counts.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toYaml } from "@pipeglot/core";
import { denormalize, validate } from "@pipeglot/schema";
import { compile, importFiles, provider } from "@pipeglot/gcp";
import { CORPUS, sharedOrSkip } from "../helpers/paths.js";

describe.runIf(sharedOrSkip("gcp corpus import"))("gcp import: real-world corpus", () => {
  it("imports every file under corpus/cloudbuild", () => {
    const dir = join(CORPUS, "cloudbuild");
    const files = readdirSync(dir).sort();
    expect(files.length).toBeGreaterThan(0);
    let clean = 0;
    let warned = 0;
    let failed = 0;
    const problems: string[] = [];
    for (const f of files) {
      const content = readFileSync(join(dir, f), "utf8");
      expect(provider.detect({ path: f, content }), f).toBeGreaterThanOrEqual(0.5);
      const r = importFiles([{ path: f, content }]);
      if (!r.pipeline || r.diagnostics.some((d) => d.severity === "error")) {
        failed++;
        problems.push(`${f}: ${r.diagnostics.map((d) => d.message).join("; ")}`);
        continue;
      }
      const doc = validate(toYaml(denormalize(r.pipeline)), { file: f });
      const errs = doc.diagnostics.filter((d) => d.severity === "error");
      if (errs.length) {
        failed++;
        problems.push(`${f}: invalid neutral document: ${errs.map((d) => `${d.code} ${d.path} ${d.message}`).join("; ")}`);
        continue;
      }
      // What was imported compiles again.
      expect(compile(r.pipeline).files.length).toBeGreaterThan(0);
      if (r.diagnostics.some((d) => d.severity === "warning")) warned++;
      else clean++;
    }
    console.log(`gcp corpus: ${clean} clean, ${warned} with warnings, ${failed} failed (of ${files.length})`);
    expect(problems).toEqual([]);
  });
});
