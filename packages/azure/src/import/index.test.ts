import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CODES } from "../diagnostics.js";
import { importFiles } from "./index.js";

const imp = (yaml: string) => importFiles([{ path: "azure-pipelines.yml", content: yaml }]);

describe("import shapes (table)", () => {
  it("root steps shorthand", () => {
    const r = imp("trigger: [main]\npr: none\nsteps:\n  - script: npm test\n    displayName: Run tests\n");
    const s = r.pipeline!.stages[0]!;
    expect(s.name).toBe("main");
    expect(s.jobs[0]!.steps[0]).toMatchObject({ name: "Run-tests", run: "npm test", shell: "bash" });
    expect(r.pipeline!.triggers.push!.branches.include).toEqual(["main"]);
    expect(r.pipeline!.triggers.pullRequest).toBeUndefined();
  });
  it("root jobs shorthand with dependsOn and a matrix", () => {
    const r = imp(
      "jobs:\n  - job: a\n    strategy:\n      matrix:\n        x1: {v: '1'}\n        x2: {v: '2'}\n    steps: [{bash: 'echo $(v)'}]\n  - job: b\n    dependsOn: a\n    steps: [{bash: b}]\n",
    );
    const [a, b] = r.pipeline!.stages[0]!.jobs;
    expect(a!.matrix).toEqual({ v: ["1", "2"] });
    expect(a!.steps[0]!.run).toBe("echo ${{ matrix.v }}");
    expect(b!.needs).toEqual(["a"]);
  });
  it("well-known tasks become commands or artifacts; others stay native", () => {
    const r = imp(
      "steps:\n  - task: Bash@3\n    inputs: {targetType: inline, script: ls}\n  - task: Npm@1\n    inputs: {command: ci}\n  - task: PublishPipelineArtifact@1\n    inputs: {targetPath: dist, artifact: web}\n  - task: AzureCLI@2\n    inputs: {azureSubscription: x}\n",
    );
    const j = r.pipeline!.stages[0]!.jobs[0]!;
    expect(j.steps.map((s) => s.run ?? s.native)).toEqual(["ls", "npm ci", { azure: { task: "AzureCLI@2", inputs: { azureSubscription: "x" } } }]);
    expect(j.produces).toEqual([{ name: "web", paths: ["dist"] }]);
    expect(r.diagnostics.map((d) => d.code)).toContain("PG-ADO-IMPORT-TASK-NATIVE");
  });
  it("declared variables become references; other macros stay text with a diagnostic", () => {
    const r = imp("variables:\n  A: x\nsteps:\n  - bash: echo $(A) $(Build.BuildId) $(Build.SourceVersion)\n");
    expect(r.pipeline!.stages[0]!.jobs[0]!.steps[0]!.run).toBe("echo ${{ vars.A }} $(Build.BuildId) ${{ git.commit }}");
    expect(r.diagnostics.find((d) => d.code === "PG-ADO-IMPORT-MACRO")).toMatchObject({ line: 4, column: 5 });
  });
  it("a YAML syntax error is a diagnostic with a position", () => {
    const r = imp("steps:\n  - script: [\n");
    expect(r.pipeline).toBeUndefined();
    expect(r.diagnostics[0]).toMatchObject({ code: "PG-ADO-IMPORT-YAML", severity: "error" });
  });
  it("the README documents every code", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    for (const c of Object.keys(CODES)) expect(readme, c).toContain(`\`${c}\``);
  });
});
