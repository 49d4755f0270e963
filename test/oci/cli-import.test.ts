/**
 * Import from what the OCI CLI prints: `oci devops build-pipeline get` ({"data": {...}, "etag"})
 * and `oci devops build-pipeline-stage list` ({"data": {"items": [...]}}), kebab-case keys, real
 * OCIDs instead of symbolic references; plus the build spec files from the repository. The DAG is
 * rebuilt from the predecessors and the pipeline equals the import of the compiled files (whose
 * losses the round-trip test checks).
 */
import { describe, expect, it } from "vitest";
import { validateFile } from "@pipeglot/schema";
import { compile, importFiles, provider } from "@pipeglot/oci";
import { examples } from "../helpers/paths.js";

const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
function cli(v: unknown, ocid: (ref: string) => string): unknown {
  if (Array.isArray(v)) return v.map((x) => cli(x, ocid));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [kebab(k), k === "freeformTags" ? x : cli(x, ocid)]));
  return typeof v === "string" && v.startsWith("${") && !v.startsWith("${target.") ? ocid(v) : v;
}

describe("OCI import from CLI output", () => {
  for (const name of ["monorepo", "java-maven"]) {
    it(`${name}: build-pipeline get + build-pipeline-stage list + build specs`, async () => {
      const ex = examples().find((e) => e.name === name)!;
      const ir = (await validateFile(ex.file)).ir!;
      const out = compile(ir);
      const ids = new Map<string, string>();
      const ocid = (ref: string) => {
        if (!ids.has(ref)) ids.set(ref, `ocid1.devopsbuildpipelinestage.oc1.iad.${ids.size.toString().padStart(4, "0")}`);
        return ids.get(ref)!;
      };
      ids.set("${buildPipeline.id}", "ocid1.devopsbuildpipeline.oc1.iad.p");
      const bp = JSON.parse(out.files.find((f) => f.path === "build_pipeline.json")!.content);
      const stages = out.files
        .filter((f) => f.path.startsWith("build_stages/"))
        .map((f) => {
          const s = JSON.parse(f.content);
          return { id: `\${buildStage.${s.displayName}.id}`, ...s, lifecycleState: "ACTIVE", compartmentId: "ocid1.compartment.oc1..c" };
        });
      const files = [
        {
          path: "build-pipeline.json",
          content: JSON.stringify({ data: cli({ id: "${buildPipeline.id}", ...bp, lifecycleState: "ACTIVE" }, ocid), etag: "abc" }),
        },
        { path: "stages.json", content: JSON.stringify({ data: { items: cli(stages, ocid) } }) },
        ...out.files.filter((f) => f.kind === "oci.BuildSpec").map((f) => ({ path: `repo/.pipeglot/oci/${f.path}`, content: f.content })),
        ...out.files.filter((f) => f.kind === "oci.CreateTriggerDetails"),
      ];
      for (const f of files) expect(provider.detect(f), f.path).toBeGreaterThan(0.5);
      const back = importFiles(files);
      expect(back.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
      expect(back.pipeline).toEqual(importFiles(out.files.map((f) => ({ path: f.path, content: f.content }))).pipeline);
    });
  }
});
