/**
 * Real files: every build spec under ../shared/corpus/oci (written by others, from public
 * repositories) imports without a crash; counts clean / with warnings / failed.
 */
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toYaml } from "@pipeglot/core";
import { denormalize, validate } from "@pipeglot/schema";
import { provider } from "@pipeglot/oci";
import { CORPUS, sharedOrSkip } from "../helpers/paths.js";

describe.runIf(sharedOrSkip("OCI corpus import"))("OCI corpus", () => {
  it("imports every file; prints clean / with warnings / failed", () => {
    const dir = join(CORPUS, "oci");
    expect(existsSync(dir)).toBe(true);
    const files = readdirSync(dir).sort();
    expect(files.length).toBeGreaterThan(0);
    let clean = 0;
    let warned = 0;
    let failed = 0;
    const lines: string[] = [];
    for (const name of files) {
      const file = { path: `oci/${name}`, content: readFileSync(join(dir, name), "utf8") };
      expect(provider.detect(file), name).toBeGreaterThan(0.5);
      const r = provider.import([file]);
      const errors = r.diagnostics.filter((d) => d.severity === "error");
      if (!r.pipeline || errors.length) {
        failed++;
        lines.push(`FAILED ${name}: ${errors.map((d) => d.message).join("; ")}`);
        continue;
      }
      // What was imported is a valid neutral pipeline.
      const v = validate(toYaml(denormalize(r.pipeline)), { file: name });
      const verrors = v.diagnostics.filter((d) => d.severity === "error");
      if (verrors.length) {
        failed++;
        lines.push(`FAILED ${name}: not a valid neutral document: ${verrors.map((d) => `${d.code} ${d.message}`).join("; ")}`);
        continue;
      }
      // Every step of the file arrived (generated steps aside, onFailure steps added).
      const steps = r.pipeline.stages.flatMap((s) => s.jobs.flatMap((j) => j.steps));
      expect(steps.length, name).toBeGreaterThan(0);
      if (r.diagnostics.some((d) => d.severity === "warning")) {
        warned++;
        lines.push(`warnings ${name}: ${[...new Set(r.diagnostics.filter((d) => d.severity === "warning").map((d) => d.code))].join(", ")}`);
      } else clean++;
    }
    console.log(`OCI corpus: ${clean} clean, ${warned} with warnings, ${failed} failed (of ${files.length})\n  ${lines.join("\n  ")}`);
    expect(clean + warned + failed).toBe(files.length);
    expect(failed).toBe(0);
  });

  it("keeps the commands of a real build spec and their vault secrets", () => {
    const name = readdirSync(join(CORPUS, "oci")).find((f) => f.startsWith("05-"));
    if (!name) return;
    const r = provider.import([{ path: name, content: readFileSync(join(CORPUS, "oci", name), "utf8") }]);
    const job = r.pipeline!.stages[0]!.jobs[0]!;
    // `${OCIR_AUTH_TOKEN}` is a vault variable: it comes back as a secret reference.
    expect(job.steps.map((s) => s.run).join("\n")).toContain("${{ secrets.OCIR_AUTH_TOKEN }}");
    expect(r.pipeline!.secrets.OCIR_AUTH_TOKEN?.oci).toMatch(/^ocid1\.vaultsecret\./);
    expect(job.env.IMAGE_NAME).toBe("oracle-smart-frontend");
  });
});
