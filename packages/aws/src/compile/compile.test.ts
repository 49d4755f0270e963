import { describe, expect, it } from "vitest";
import { validate } from "@pipeglot/schema";
import { compile } from "./index.js";
import { importFiles } from "../import/index.js";

const ir = (yaml: string) => {
  const r = validate(yaml);
  if (!r.ir) throw new Error(JSON.stringify(r.diagnostics));
  return r.ir;
};
const codes = (y: string) => compile(ir(y)).diagnostics.map((d) => `${d.code} ${d.path}`);
const file = (y: string, path: string) => JSON.parse(compile(ir(y)).files.find((f) => f.path === path)!.content);

const BASE = `pipeglot: 1
name: demo
source: { repository: acme/demo }
`;

describe("compile", () => {
  it("writes clearly marked placeholders and a warning for each missing target setting", () => {
    const y = BASE + "stages: [{ name: b, jobs: [{ name: j, steps: [{ run: make }] }] }]\n";
    expect(codes(y).filter((c) => c.startsWith("PG-AWS-TARGET-PLACEHOLDER"))).toHaveLength(3);
    const p = file(y, "pipeline.json").pipeline;
    expect(p.roleArn).toMatch(/PIPEGLOT-PLACEHOLDER/);
    expect(p.artifactStore.location).toMatch(/pipeglot-placeholder/);
    expect(p.stages[0].actions[0].configuration.ConnectionArn).toMatch(/PIPEGLOT-PLACEHOLDER/);
  });
  it("a step with only another provider's native becomes a command that fails with a message, and says so (it vanished before)", async () => {
    const y = BASE + "stages: [{ name: b, jobs: [{ name: j, steps: [{ name: cmake, native: { azure: { task: CMake@1 } } }, { name: after, run: make }] }] }]\n";
    expect(codes(y)).toContain("PG-AWS-NOT-TRANSLATED /stages/0/jobs/0/steps/0/native");
    const spec = compile(ir(y)).files.find((f) => f.path.endsWith(".buildspec.yml"))!.content;
    const { parse } = await import("yaml");
    const { spawnSync } = await import("node:child_process");
    const commands = (parse(spec) as { phases: { build: { commands: string[] } } }).phases.build.commands;
    expect(commands).toHaveLength(2);
    const r = spawnSync("bash", ["-c", commands[0]!], { encoding: "utf8" });
    expect([r.status, r.stderr]).toEqual([
      1,
      "pipeglot: step cmake is native.azure only, it has no CodeBuild translation; translate it by hand (see PG-AWS-NOT-TRANSLATED)\n",
    ]);
  });
  it("serializes a stage DAG and coarsens a job DAG, saying where", () => {
    const y =
      BASE +
      `stages:
  - { name: a, jobs: [{ name: x, steps: [{ run: x }] }, { name: y, steps: [{ run: y }] }, { name: z, needs: [x], steps: [{ run: z }] }, { name: w, needs: [z], steps: [{ run: w }] }, { name: v, needs: [y], steps: [{ run: v }] }] }
  - { name: b, needs: [a], jobs: [{ name: j, steps: [{ run: j }] }] }
  - { name: c, needs: [a], jobs: [{ name: j, steps: [{ run: j }] }] }
`;
    const c = codes(y);
    expect(c).toContain("PG-AWS-STAGE-SERIALIZED /stages/2/needs");
    expect(c).toContain("PG-AWS-JOB-DAG-COARSENED /stages/0/jobs/3/needs");
    const stages = file(y, "pipeline.json").pipeline.stages;
    expect(stages.map((s: { name: string }) => s.name)).toEqual(["Source", "a", "b", "c"]);
    expect(stages[1].actions.map((a: { name: string; runOrder: number }) => `${a.name}@${a.runOrder}`)).toEqual(["x@1", "y@1", "z@2", "v@2", "w@3"]);
  });
  it("expands a matrix into one project and action per cell", () => {
    const y =
      BASE +
      'stages: [{ name: t, jobs: [{ name: py, image: "python:${{ matrix.v }}", matrix: { v: ["3.11", "3.12"] }, steps: [{ run: "echo ${{ matrix.v }}" }] }] }]\n';
    const out = compile(ir(y));
    const projects = out.files.filter((f) => f.kind === "codebuild.CreateProjectInput").map((f) => JSON.parse(f.content));
    expect(projects.map((p) => p.environment.image)).toEqual(["python:3.11", "python:3.12"]);
    expect(file(y, "pipeline.json").pipeline.stages[1].actions.map((a: { name: string }) => a.name)).toEqual(["py-3-11", "py-3-12"]);
  });
  it("maps secrets to secrets-manager / parameter-store references, never values", () => {
    const y =
      BASE +
      `secrets: { A: { aws: "secretsmanager:app/a:key" }, B: { aws: "ssm:/app/b" }, C: { azure: "group:x/C" } }
stages: [{ name: s, jobs: [{ name: j, env: { TOKEN: "\${{ secrets.A }}" }, steps: [{ run: "use \${{ secrets.B }} \${{ secrets.C }}" }] }] }]
`;
    const out = compile(ir(y));
    const spec = out.files.find((f) => f.kind === "codebuild.Buildspec")!.content;
    expect(spec).toContain("secrets-manager:\n    TOKEN: app/a:key");
    expect(spec).toContain("parameter-store:\n    B: /app/b");
    expect(out.diagnostics.map((d) => d.code)).toContain("PG-AWS-SECRET-NO-REF");
  });
  it("writes disabled transitions and the approval action, with what is lost", () => {
    const y =
      BASE +
      `stages:
  - { name: a, jobs: [{ name: j, steps: [{ run: j }] }] }
  - { name: b, approval: { approvers: [ops], timeout: 2h, notify: ["arn:aws:sns:us-east-1:123456789012:t"] }, transition: { enabled: false, reason: "Freeze: Q3" }, jobs: [{ name: j, steps: [{ run: j }] }] }
`;
    expect(file(y, "transitions.json")).toEqual([{ stageName: "b", enabled: false, reason: "Freeze  Q3" }]);
    const b = file(y, "pipeline.json").pipeline.stages[2];
    expect(b.actions[0]).toMatchObject({
      name: "approval",
      runOrder: 1,
      timeoutInMinutes: 120,
      configuration: { NotificationArn: "arn:aws:sns:us-east-1:123456789012:t" },
    });
    expect(b.actions[1].runOrder).toBe(2);
    expect(codes(y)).toEqual(expect.arrayContaining(["PG-AWS-APPROVERS /stages/1/approval/approvers", "PG-AWS-TRANSITION-REASON /stages/1/transition/reason"]));
  });
  it("merges native.aws at pipeline, stage and job level", () => {
    const y =
      BASE +
      `native: { aws: { executionMode: PARALLEL } }
stages: [{ name: s, native: { aws: { onFailure: { result: RETRY, retryConfiguration: { retryMode: FAILED_ACTIONS } } } }, jobs: [{ name: j, steps: [{ run: j }], native: { aws: { project: { queuedTimeoutInMinutes: 30 }, action: { region: eu-west-1 } } } }] }]
`;
    const p = file(y, "pipeline.json").pipeline;
    expect(p.executionMode).toBe("PARALLEL");
    expect(p.stages[1].onFailure.result).toBe("RETRY");
    expect(p.stages[1].actions[0].region).toBe("eu-west-1");
    expect(file(y, "codebuild/demo-s-j.json").queuedTimeoutInMinutes).toBe(30);
  });
  it("guards a step's branch/variable condition in the shell, copies consumed artifacts first, and imports both back", () => {
    const y =
      BASE +
      `variables: { MODE: { default: dev } }
stages:
  - name: b
    jobs:
      - { name: make, steps: [{ run: mkdir -p d && touch d/x }], artifacts: { produce: [{ name: out, paths: ["d/**"] }] } }
      - name: use
        needs: [make]
        artifacts: { consume: [out] }
        steps:
          - { name: rel, run: ls d, condition: { branches: ["release/*"], variables: { MODE: prod } } }
`;
    const c = codes(y);
    expect(c).toContain("PG-AWS-STEP-EMULATED /stages/0/jobs/1/steps/0");
    expect(c.filter((x) => x.startsWith("PG-AWS-CONDITION"))).toEqual([]);
    const out = compile(ir(y));
    const spec = out.files.find((f) => f.path === "codebuild/demo-b-use.buildspec.yml")!.content;
    expect(spec).toContain('"setup":1');
    expect(spec).toContain("env:\n  shell: bash\n");
    expect(spec).toContain(
      `- pg_in="\${CODEBUILD_SRC_DIR_out:-}" && { [ -z "$pg_in" ] || [ -z "\${CODEBUILD_SRC_DIR:-}" ] || cp -R "$pg_in"/. "$CODEBUILD_SRC_DIR"/; }\n`,
    );
    expect(spec).toContain(
      `- if printf '%s\\n' "\${PIPEGLOT_BRANCH}" | grep -Eqx '(release/[^/]*)' && [ "\${MODE:-}" = 'prod' ]; then ( bash -c 'ls d' ); else pg_skip=1; fi\n`,
    );
    const back = importFiles(out.files.filter((f) => f.path.endsWith(".json")).map((f) => ({ path: f.path, content: f.content }))).pipeline!;
    const use = back.stages[0]!.jobs.find((j) => j.name === "use")!;
    expect(use.steps.map((s) => [s.run, s.condition])).toEqual([["ls d", { status: "success", branches: ["release/*"], variables: { MODE: "prod" } }]]);
    expect(use.native).toBeUndefined();
  });
  it("runs each step in its own bash process, and imports that form and the one compiled before", () => {
    const y =
      BASE +
      `stages: [{ name: b, jobs: [{ name: make, steps: [{ name: wander, run: "mkdir -p sub && cd sub && export PG_LEAK=leaked" }, { name: stay, run: "test -d sub", timeout: 1m }] }] }]\n`;
    const out = compile(ir(y));
    const project = out.files.find((f) => f.path === "codebuild/demo-b-make.json")!;
    const spec = JSON.parse(project.content).source.buildspec as string;
    expect(spec).toContain(`"isolated":true`);
    expect(spec).toContain(`- bash -c 'mkdir -p sub && cd sub && export PG_LEAK=leaked'\n`);
    expect(spec).toContain(`- ( timeout 60 bash -c 'test -d sub' )\n`);
    const importRuns = (buildspec: string) => {
      const edited = { ...project, content: JSON.stringify({ ...JSON.parse(project.content), source: { ...JSON.parse(project.content).source, buildspec } }) };
      const files = out.files.filter((f) => f.path.endsWith(".json")).map((f) => (f.path === project.path ? edited : f));
      const r = importFiles(files.map((f) => ({ path: f.path, content: f.content })));
      return { steps: r.pipeline!.stages[0]!.jobs[0]!.steps.map((s) => [s.name, s.run, s.timeoutSeconds]), codes: r.diagnostics.map((d) => d.code) };
    };
    const both = [
      ["wander", "mkdir -p sub && cd sub && export PG_LEAK=leaked", undefined],
      ["stay", "test -d sub", 60],
    ];
    expect(importRuns(spec)).toEqual({ steps: both, codes: [] });
    // Compiled before: no "isolated" in the header, a step without options is its command itself.
    const before = spec
      .replace(`,"isolated":true`, "")
      .replace(`- bash -c 'mkdir -p sub && cd sub && export PG_LEAK=leaked'`, "- mkdir -p sub && cd sub && export PG_LEAK=leaked");
    expect(before).not.toContain("isolated");
    expect(importRuns(before)).toEqual({ steps: both, codes: [] });
    // The new header with a bare command: edited by hand, imported as it is, and said so.
    const edited = importRuns(spec.replace(`- bash -c 'mkdir -p sub && cd sub && export PG_LEAK=leaked'`, "- mkdir -p sub"));
    expect(edited.steps[0]).toEqual(["wander", "mkdir -p sub", undefined]);
    expect(edited.codes).toContain("PG-AWS-IMPORT-STEP-EDITED");
  });
});
