/**
 * The Azure Pipelines runtime model (issue 15) against hand-written expectations: node-webapp's
 * compiled pipeline in record mode, the shared behaviour fixture in execute mode, an agentless
 * ManualValidation rejected, and hand-written Azure YAML for what only Azure does (macros, the
 * deployment job's automatic download, Build.SourceBranchName, case-insensitive conditions).
 */
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ProviderOutput } from "@pipeglot/core";
import { validate, validateFile, type PipelineIR } from "@pipeglot/schema";
import { provider as azure } from "@pipeglot/azure";
import { defaultInputs, runLocal, type JobTrace, type LocalRunOptions, type Trace } from "@pipeglot/runtimes";
import { REPO } from "../helpers/paths.js";

const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const FIXTURE = join(REPO, "test/fixtures/runtimes/behaviour");
const h = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);
const scratch = mkdtempSync(join(tmpdir(), "pg-azure-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function irOf(file: string): Promise<PipelineIR> {
  const r = await validateFile(file);
  if (!r.ir) throw new Error(`${file} does not validate`);
  return r.ir;
}

function irOfText(text: string): PipelineIR {
  const r = validate(text);
  if (!r.ir) throw new Error(`the inline definition does not validate: ${JSON.stringify(r.diagnostics)}`);
  return r.ir;
}

const job = (t: Trace, key: string): JobTrace => {
  const j = t.jobs.find((x) => x.key === key);
  if (!j) throw new Error(`no job ${key} in ${t.jobs.map((x) => x.key).join(", ")}`);
  return j;
};
const stepOf = (t: Trace, key: string, id: string) => job(t, key).steps.find((s) => s.id === id);
const stages = (t: Trace) => Object.fromEntries(t.stages.map((s) => [s.name, s.status]));

function run(ir: PipelineIR, output: ProviderOutput, opts: Partial<LocalRunOptions> & { branch?: string }): Promise<Trace> {
  const { branch, ...rest } = opts;
  return runLocal("azure", ir, output, { record: false, reject: [], inputs: defaultInputs(ir, branch ? { branch } : {}), ...rest });
}

/** node-webapp's snapshot plus a built dist/ (record mode runs no build, and Azure's publish fails on a missing folder). */
function webappWithDist(): string {
  const dir = join(scratch, "webapp");
  cpSync(join(REPO, "examples/node-webapp"), dir, { recursive: true });
  mkdirSync(join(dir, "dist"), { recursive: true });
  writeFileSync(join(dir, "dist/app.js"), "console.log(1)\n");
  return dir;
}

describe("azure model: node-webapp in record mode", () => {
  it("records each step's commands with its watched env, and has every job key", async () => {
    const ir = await irOf(join(REPO, "examples/node-webapp/pipeglot.yaml"));
    const t = await run(ir, azure.compile(ir), { record: true, source: webappWithDist() });
    expect(t.jobs.map((j) => j.key)).toEqual(["build.bundle", "build.lint", "build.test", "production.deploy", "staging.deploy"]);
    expect(t.outcome).toBe("succeeded");
    expect(stepOf(t, "build.test", "unit")).toEqual({
      id: "unit", status: "succeeded", exit: 0, attempts: 1,
      commands: [{ argv: ["npm", "test", "--", "--reporter=junit"], cwd: ".", env: { NPM_TOKEN: "fake-NPM_TOKEN" } }],
    });
    expect(stepOf(t, "build.lint", "step-1")?.commands.map((c) => c.argv)).toEqual([["npm", "ci"], ["npm", "run", "lint"]]);
    expect(stepOf(t, "staging.deploy", "upload")?.commands).toEqual([
      { argv: ["./scripts/deploy.sh", "staging", "eu-west-1", COMMIT], cwd: ".", env: { DEPLOY_KEY: "fake-DEPLOY_KEY" } },
    ]);
    expect(stepOf(t, "production.deploy", "upload")?.commands[0]?.argv).toEqual(["./scripts/deploy.sh", "production", "eu-west-1", COMMIT]);
    // The artifact: CopyFiles@2 dist/** into the staging folder, published, downloaded into the sources folder.
    const dist = job(t, "build.bundle").artifacts["web-dist"] ?? {};
    expect(dist["dist/app.js"]).toBe(h("console.log(1)\n"));
    expect(job(t, "staging.deploy").files).toMatchObject(dist);
    expect(job(t, "production.deploy").files).toMatchObject(dist);
    expect(t.notes).toContain("container images are not used: steps run on this machine with bash");
  });

  it("a rejected ManualValidation fails the agentless job: the stage fails and its deploy job is skipped", async () => {
    const ir = await irOf(join(REPO, "examples/node-webapp/pipeglot.yaml"));
    const t = await run(ir, azure.compile(ir), { record: true, source: webappWithDist(), reject: ["production"] });
    expect(stages(t)).toEqual({ build: "succeeded", staging: "succeeded", production: "failed" });
    expect(job(t, "production.deploy")).toEqual({ key: "production.deploy", status: "skipped", files: {}, steps: [], artifacts: {} });
    expect(t.outcome).toBe("failed");
  });
});

describe("azure model: the behaviour fixture in execute mode", () => {
  it("gives the expected statuses, attempts, files and artifact", async () => {
    const ir = await irOf(join(FIXTURE, "pipeglot.yaml"));
    const t = await run(ir, azure.compile(ir), { source: join(FIXTURE, "src") });
    expect(t.outcome).toBe("succeeded");
    expect(stages(t)).toEqual({ build: "succeeded", verify: "succeeded" });
    const steps = job(t, "build.make").steps.map((s) => [s.id, s.status, s.exit, s.attempts]);
    expect(steps).toEqual([
      ["write", "succeeded", 0, 1], ["mode", "succeeded", 0, 1], ["flaky", "succeeded", 0, 2], ["on-main", "succeeded", 0, 1],
      ["on-release", "skipped", 0, 0], ["tolerated", "failed", 3, 1], ["after", "succeeded", 0, 1],
    ]);
    expect(job(t, "build.make").artifacts.app).toEqual({
      "dist/app.txt": h(`hello-world ${COMMIT}\n`), "dist/branch.txt": h("main\n"), "dist/mode.txt": h("release-hello-world from-step\n"), "dist/version.txt": h("1.0.0\n"),
    });
    expect(job(t, "build.cells[flavour=beta]").steps).toEqual([{ id: "say", status: "succeeded", exit: 0, attempts: 1, commands: [] }]);
    expect(Object.keys(job(t, "verify.check").files)).toEqual(["VERSION", "dist/app.txt", "dist/branch.txt", "dist/mode.txt", "dist/version.txt"]);
  });

  it("on release/1: on-main skipped, on-release runs, after fails, verify skipped", async () => {
    const ir = await irOf(join(FIXTURE, "pipeglot.yaml"));
    const t = await run(ir, azure.compile(ir), { source: join(FIXTURE, "src"), branch: "release/1" });
    expect(stepOf(t, "build.make", "on-main")?.status).toBe("skipped");
    expect(stepOf(t, "build.make", "on-release")?.status).toBe("succeeded");
    expect(stepOf(t, "build.make", "after")).toMatchObject({ status: "failed", exit: 1 });
    expect(stages(t)).toEqual({ build: "failed", verify: "skipped" });
  });
});

const SMALL = `pipeglot: 1
name: small
source: { repository: acme/small, branch: main, provider: github }
stages:
  - name: one
    jobs:
      - name: make
        steps:
          - name: a
            run: echo made > made.txt
        artifacts:
          produce: [{ name: out, paths: [made.txt] }]
  - name: two
    jobs:
      - name: use
        environment: prod
        steps:
          - name: b
            run: echo used
`;

/** Hand-written Azure YAML for small's two jobs (what an older compile or a hand edit could hold). */
const SMALL_YAML = `# pipeglot:secret TOKEN group:g/TOKEN_VAR
variables:
  - group: g
  - name: Greeting.Text
    value: hi-$(Build.SourceBranchName)
stages:
  - stage: one
    jobs:
      - job: make
        steps:
          - bash: |
              echo made > made.txt
              printf '%s|%s|%s|%s' "$(Greeting.Text)" "$GREETING_TEXT" '$(Nope.Undefined)' "\${TOKEN_VAR:-unset}" > seen.txt
              printf '%s' "$TOKEN" > token.txt
            name: a
            env:
              TOKEN: $(TOKEN_VAR)
          - publish: $(System.DefaultWorkingDirectory)
            artifact: out
            displayName: Publish out
  - stage: two
    jobs:
      - deployment: use
        environment: prod
        strategy:
          runOnce:
            deploy:
              steps:
                - bash: test -f "$(Pipeline.Workspace)/out/seen.txt" && test ! -e seen.txt && test -f "$PIPELINE_WORKSPACE/out/token.txt"
                  name: b
                  condition: and(succeeded(), eq(variables['Build.SourceBranch'], 'REFS/HEADS/RELEASE/1.2'))
`;

describe("azure model: hand-written Azure YAML", () => {
  it("expands macros before the script runs, maps variables to env, keeps undefined macros, downloads a deployment's artifacts into Pipeline.Workspace", async () => {
    const ir = irOfText(SMALL);
    const output: ProviderOutput = { provider: "azure", pipeline: "small", diagnostics: [], files: [{ path: "azure-pipelines.yml", kind: "azure.PipelineYaml", content: SMALL_YAML }] };
    const t = await run(ir, output, { branch: "release/1.2", inputs: { ...defaultInputs(ir, { branch: "release/1.2" }), secrets: { TOKEN: "s3cret" } } });
    const saved = job(t, "one.make").artifacts.out ?? {};
    // Build.SourceBranchName is the last segment of the ref; the secret is not in the env unless mapped.
    expect(saved["seen.txt"]).toBe(h("hi-1.2|hi-1.2|$(Nope.Undefined)|unset"));
    expect(saved["token.txt"]).toBe(h("s3cret"));
    // The deployment job: no checkout, artifacts in $(Pipeline.Workspace)/out, not in the sources folder;
    // the condition's eq ignores case.
    expect(job(t, "two.use").files).toEqual({});
    expect(stepOf(t, "two.use", "b")).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("skips the deployment step when the case-insensitive branch test is false", async () => {
    const ir = irOfText(SMALL);
    const output: ProviderOutput = { provider: "azure", pipeline: "small", diagnostics: [], files: [{ path: "azure-pipelines.yml", kind: "azure.PipelineYaml", content: SMALL_YAML }] };
    const t = await run(ir, output, { branch: "main" });
    expect(stepOf(t, "two.use", "b")).toEqual({ id: "b", status: "skipped", exit: 0, attempts: 0, commands: [] });
    expect(job(t, "two.use").status).toBe("succeeded");
  });
});

describe("azure model: artifacts", () => {
  it("fails the producing job when its paths matched nothing (CopyFiles@2 copies nothing, publish: Path does not exist)", async () => {
    const ir = irOfText(`pipeglot: 1
name: empty
source: { repository: acme/empty, branch: main, provider: github }
stages:
  - name: one
    jobs:
      - name: build
        steps:
          - name: nothing
            run: "true"
        artifacts:
          produce: [{ name: dist, paths: ["dist/**"] }]
  - name: two
    jobs:
      - name: use
        steps:
          - run: "true"
`);
    const t = await run(ir, azure.compile(ir), {});
    expect(job(t, "one.build")).toMatchObject({ status: "failed", artifacts: {} });
    expect(stepOf(t, "one.build", "nothing")).toMatchObject({ status: "succeeded", exit: 0 });
    expect(stages(t)).toEqual({ one: "failed", two: "skipped" });
  });

  it("fails the second matrix entry's publish: an artifact name is published once per run", async () => {
    const ir = irOfText(`pipeglot: 1
name: mx
source: { repository: acme/mx, branch: main, provider: github }
stages:
  - name: one
    jobs:
      - name: cells
        matrix:
          os: [a, b]
        steps:
          - name: w
            run: mkdir -p o && echo \${{ matrix.os }} > o/f.txt
        artifacts:
          produce: [{ name: o, paths: ["o/**"] }]
`);
    const t = await run(ir, azure.compile(ir), {});
    expect(job(t, "one.cells[os=a]")).toMatchObject({ status: "succeeded", artifacts: { o: { "o/f.txt": h("a\n") } } });
    expect(job(t, "one.cells[os=b]")).toMatchObject({ status: "failed", artifacts: {} });
    expect(stepOf(t, "one.cells[os=b]", "w")).toMatchObject({ status: "succeeded", exit: 0 });
    expect(t.outcome).toBe("failed");
  });
});
