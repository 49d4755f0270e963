/**
 * Real files: every Azure pipeline in the shared corpus imports without a crash; templates that
 * are not in the corpus give diagnostics, not exceptions. Prints clean / with warnings / failed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toYaml } from "@pipeglot/core";
import { denormalize, validate } from "@pipeglot/schema";
import { importFiles } from "@pipeglot/azure";
import { CORPUS, sharedOrSkip } from "../helpers/paths.js";

const run = sharedOrSkip("Azure corpus import");

describe.runIf(run)("azure corpus import", () => {
  it("imports every corpus file without a crash", () => {
    const dir = join(CORPUS, "azure");
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
    expect(files.length).toBeGreaterThan(0);
    const counts = { clean: 0, warnings: 0, failed: 0 };
    const lines: string[] = [];
    for (const f of files) {
      const content = readFileSync(join(dir, f), "utf8");
      // readFile resolves nothing: templates referenced by corpus files are not in the corpus.
      const r = importFiles([{ path: f, content }], { readFile: () => undefined });
      const internal = r.diagnostics.filter((d) => d.message.startsWith("internal error"));
      expect(internal, f).toEqual([]);
      for (const d of r.diagnostics) {
        expect(d.file, `${f} ${d.code}`).toBeDefined();
        expect(d.line).toBeGreaterThan(0);
      }
      const errors = r.diagnostics.filter((d) => d.severity === "error");
      if (!r.pipeline || errors.length) counts.failed++;
      else if (r.diagnostics.some((d) => d.severity === "warning")) counts.warnings++;
      else counts.clean++;
      if (r.pipeline && !errors.length) {
        const v = validate(toYaml(denormalize(r.pipeline)), { file: f });
        const bad = v.diagnostics.filter((d) => d.severity === "error");
        expect(bad.map((d) => `${d.code} ${d.path} ${d.message}`), f).toEqual([]);
      }
      const codes = [...new Set(r.diagnostics.map((d) => d.code))].sort().join(" ");
      lines.push(`${f}: ${r.pipeline ? `${r.pipeline.stages.length} stage(s)` : "no pipeline"}; ${r.diagnostics.length} diagnostic(s) ${codes}`);
    }
    console.log(`azure corpus: ${files.length} files — clean ${counts.clean}, with warnings ${counts.warnings}, failed ${counts.failed}\n  ${lines.join("\n  ")}`);
    expect(counts.clean + counts.warnings + counts.failed).toBe(files.length);
  });
});
