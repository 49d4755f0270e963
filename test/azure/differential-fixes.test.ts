/**
 * The compile forms written for the differential findings of issue 15 read back as what they were
 * compiled from: a matrix job's per-entry artifact names (and the consumer's download of the last
 * entry's), the branch read from $(Build.SourceBranch) in bash/sh/pwsh, and a gated job's
 * condition guarded with the ManualValidation job's result.
 */
import { describe, expect, it } from "vitest";
import { validate, type PipelineIR } from "@pipeglot/schema";
import { compile, importFiles } from "@pipeglot/azure";
import { differences } from "../runner/roundtrip.js";

const DEF = `pipeglot: 1
name: fixes
source: { repository: acme/fixes, branch: main, provider: github }
stages:
  - name: build
    jobs:
      - name: cells
        matrix:
          os: [linux, mac]
        steps:
          - name: w
            run: mkdir -p o && echo "\${{ git.branch }}" > o/b.txt
          - name: p
            shell: pwsh
            run: Write-Output "\${{ git.branch }}"
          - name: s
            shell: sh
            run: echo \${{ git.branch }}
        artifacts:
          produce: [{ name: o, paths: ["o/**"] }]
  - name: ship
    approval: { approvers: [ops] }
    jobs:
      - name: first
        artifacts:
          consume: [o]
        steps:
          - run: cat o/b.txt
      - name: cleanup
        needs: [first]
        condition: { status: always }
        steps:
          - run: "true"
`;

function irOf(text: string): PipelineIR {
  const r = validate(text);
  if (!r.ir) throw new Error(JSON.stringify(r.diagnostics));
  return r.ir;
}

describe("azure: the differential fixes' compile forms", () => {
  it("write the pwsh branch read and the consumer's download of the last matrix entry", () => {
    const yaml = compile(irOf(DEF)).files.find((f) => f.kind === "azure.PipelineYaml")!.content;
    expect(yaml).toContain(`Write-Output "$($env:PIPEGLOT_BRANCH -replace '^refs/heads/', '')"`);
    expect(yaml).toContain("artifactName: o-mac");
    expect(yaml).toContain("artifact: o-$(pipeglot_cell)");
    expect(yaml).toContain("condition: and(eq(dependencies.approval.result, 'Succeeded'), always())");
  });

  it("import(compile(x)) is x, apart from two losses listed in ./losses.ts (github provider, sh → bash)", () => {
    const ir = irOf(DEF);
    const back = importFiles(compile(ir).files.map((f) => ({ path: f.path, content: f.content })));
    expect(back.diagnostics.filter((d) => d.severity !== "info").map((d) => d.code)).toEqual([]);
    expect(differences(ir, back.pipeline!)).toEqual(["/source/provider", "/stages/0/jobs/0/steps/2/shell"]);
    expect(back.pipeline!.stages[0]!.jobs[0]!.steps[2]!.shell).toBe("bash");
  });
});
