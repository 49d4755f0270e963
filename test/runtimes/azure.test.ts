/**
 * The Azure Pipelines runtime model (issue 15) against hand-written expectations: node-webapp's
 * compiled pipeline in record mode, the shared behaviour fixture in execute mode, an agentless
 * ManualValidation rejected, and hand-written Azure YAML for what only Azure does (macros, the
 * deployment job's automatic download, Build.SourceBranchName, case-insensitive conditions).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { ProviderOutput } from "@pipeglot/core";
import { validate, type PipelineIR } from "@pipeglot/schema";
import { provider as azure } from "@pipeglot/azure";
import { compareTraces, defaultInputs, runLocal, type LocalRunOptions, type Trace } from "@pipeglot/runtimes";
import { REPO } from "../helpers/paths.js";
import { COMMIT, h, irOf, job } from "./helpers.js";

const FIXTURE = join(REPO, "test/fixtures/runtimes/behaviour");
const scratch = mkdtempSync(join(tmpdir(), "pg-azure-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function irOfText(text: string): PipelineIR {
  const r = validate(text);
  if (!r.ir) throw new Error(`the inline definition does not validate: ${JSON.stringify(r.diagnostics)}`);
  return r.ir;
}

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
      id: "unit",
      status: "succeeded",
      exit: 0,
      attempts: 1,
      commands: [{ argv: ["npm", "test", "--", "--reporter=junit"], cwd: ".", env: { NPM_TOKEN: "fake-NPM_TOKEN" } }],
    });
    expect(stepOf(t, "build.lint", "step-1")?.commands.map((c) => c.argv)).toEqual([
      ["npm", "ci"],
      ["npm", "run", "lint"],
    ]);
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

  it("a rejected ManualValidation: the stage shows as rejected (as Azure shows it), its deploy job is skipped, the run fails", async () => {
    const ir = await irOf(join(REPO, "examples/node-webapp/pipeglot.yaml"));
    const t = await run(ir, azure.compile(ir), { record: true, source: webappWithDist(), reject: ["production"] });
    expect(stages(t)).toEqual({ build: "succeeded", staging: "succeeded", production: "rejected" });
    expect(job(t, "production.deploy")).toEqual({ key: "production.deploy", status: "skipped", files: {}, steps: [], artifacts: {} });
    expect(t.outcome).toBe("failed");
  });

  it("rejecting production leaves no finding against the reference that no diagnostic names", async () => {
    const ir = await irOf(join(REPO, "examples/node-webapp/pipeglot.yaml"));
    const out = azure.compile(ir);
    const source = webappWithDist();
    const opts = { record: true, source, reject: ["production"] };
    const reference = await runLocal("neutral", ir, undefined, { reject: [], inputs: defaultInputs(ir), ...opts });
    expect(stages(reference)).toEqual({ build: "succeeded", staging: "succeeded", production: "rejected" });
    const findings = compareTraces(reference, await run(ir, out, opts), ir, out.diagnostics);
    expect(findings.filter((f) => !f.explainedBy)).toEqual([]);
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
      ["write", "succeeded", 0, 1],
      ["mode", "succeeded", 0, 1],
      ["flaky", "succeeded", 0, 2],
      ["on-main", "succeeded", 0, 1],
      ["on-release", "skipped", 0, 0],
      ["tolerated", "failed", 3, 1],
      ["after", "succeeded", 0, 1],
    ]);
    expect(job(t, "build.make").artifacts.app).toEqual({
      "dist/app.txt": h(`hello-world ${COMMIT}\n`),
      "dist/branch.txt": h("main\n"),
      "dist/mode.txt": h("release-hello-world from-step\n"),
      "dist/version.txt": h("1.0.0\n"),
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
    const output: ProviderOutput = {
      provider: "azure",
      pipeline: "small",
      diagnostics: [],
      files: [{ path: "azure-pipelines.yml", kind: "azure.PipelineYaml", content: SMALL_YAML }],
    };
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
    const output: ProviderOutput = {
      provider: "azure",
      pipeline: "small",
      diagnostics: [],
      files: [{ path: "azure-pipelines.yml", kind: "azure.PipelineYaml", content: SMALL_YAML }],
    };
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

  it("each matrix entry publishes its own artifact (Azure takes a name once per run); the consumer gets the last entry's", async () => {
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
  - name: two
    jobs:
      - name: use
        artifacts:
          consume: [o]
        steps:
          - name: r
            run: cat o/f.txt
`);
    const out = azure.compile(ir);
    const doc = parse(out.files.find((f) => f.kind === "azure.PipelineYaml")!.content) as {
      stages: { jobs: { strategy?: { matrix: unknown }; steps: Record<string, unknown>[] }[] }[];
    };
    const cells = doc.stages[0]!.jobs[0]!;
    expect(cells.strategy?.matrix).toEqual({ a: { os: "a", pipeglot_cell: "a" }, b: { os: "b", pipeglot_cell: "b" } });
    expect(cells.steps.at(-1)).toEqual({ publish: "$(Build.ArtifactStagingDirectory)/o", artifact: "o-$(pipeglot_cell)", displayName: "Publish o" });
    expect(doc.stages[1]!.jobs[0]!.steps[0]).toMatchObject({ task: "DownloadPipelineArtifact@2", inputs: { artifactName: "o-b" } });
    const t = await run(ir, out, {});
    expect(job(t, "one.cells[os=a]")).toMatchObject({ status: "succeeded", artifacts: { o: { "o/f.txt": h("a\n") } } });
    expect(job(t, "one.cells[os=b]")).toMatchObject({ status: "succeeded", artifacts: { o: { "o/f.txt": h("b\n") } } });
    expect(job(t, "two.use").files).toMatchObject({ "o/f.txt": h("b\n") });
    expect(t.outcome).toBe("succeeded");
    // The reference keeps the last cell's artifact too: no finding.
    const reference = await runLocal("neutral", ir, undefined, { record: false, reject: [], inputs: defaultInputs(ir) });
    expect(compareTraces(reference, t, ir, out.diagnostics)).toEqual([]);
  });
});

describe("azure: the compile's fixes for the differential findings", () => {
  it("a job with condition always in a gated stage waits for the ManualValidation job: a rejection skips it", async () => {
    const ir = irOfText(`pipeglot: 1
name: gate
source: { repository: acme/gate, branch: main, provider: github }
stages:
  - name: build
    jobs:
      - name: make
        steps:
          - run: "true"
  - name: ship
    approval: { approvers: [ops] }
    jobs:
      - name: first
        steps:
          - run: "true"
      - name: cleanup
        needs: [first]
        condition: { status: always }
        steps:
          - name: tidy
            run: "true"
`);
    const out = azure.compile(ir);
    const jobs = (parse(out.files.find((f) => f.kind === "azure.PipelineYaml")!.content) as { stages: { jobs: Record<string, unknown>[] }[] }).stages[1]!.jobs;
    expect(jobs.map((j) => [j.job, j.dependsOn, j.condition])).toEqual([
      ["approval", undefined, undefined],
      ["first", ["approval"], undefined],
      ["cleanup", ["first", "approval"], "and(eq(dependencies.approval.result, 'Succeeded'), always())"],
    ]);
    const rejected = await run(ir, out, { reject: ["ship"] });
    expect(stages(rejected)).toEqual({ build: "succeeded", ship: "rejected" });
    expect(rejected.jobs.map((j) => [j.key, j.status])).toEqual([
      ["build.make", "succeeded"],
      ["ship.cleanup", "skipped"],
      ["ship.first", "skipped"],
    ]);
    const approved = await run(ir, out, {});
    expect(approved.jobs.map((j) => [j.key, j.status])).toEqual([
      ["build.make", "succeeded"],
      ["ship.cleanup", "succeeded"],
      ["ship.first", "succeeded"],
    ]);
    expect(stepOf(approved, "ship.cleanup", "tidy")?.status).toBe("succeeded");
  });

  it("git.branch in a bash step is the whole branch (release/1.2), not Build.SourceBranchName's last segment", async () => {
    const ir = irOfText(`pipeglot: 1
name: br
source: { repository: acme/br, branch: main, provider: github }
stages:
  - name: one
    jobs:
      - name: build
        steps:
          - name: say
            run: mkdir -p o && echo "\${{ git.branch }}" > o/b.txt
          - name: plain
            shell: sh
            run: echo \${{ git.branch }} >> o/b.txt
        artifacts:
          produce: [{ name: o, paths: ["o/**"] }]
`);
    const out = azure.compile(ir);
    const steps = (parse(out.files.find((f) => f.kind === "azure.PipelineYaml")!.content) as { stages: { jobs: { steps: Record<string, unknown>[] }[] }[] })
      .stages[0]!.jobs[0]!.steps;
    expect(steps[0]).toEqual({
      bash: 'mkdir -p o && echo "${PIPEGLOT_BRANCH#refs/heads/}" > o/b.txt',
      name: "say",
      env: { PIPEGLOT_BRANCH: "$(Build.SourceBranch)" },
    });
    expect(steps[1]).toMatchObject({ script: "echo ${PIPEGLOT_BRANCH#refs/heads/} >> o/b.txt", env: { PIPEGLOT_BRANCH: "$(Build.SourceBranch)" } });
    const t = await run(ir, out, { branch: "release/1.2" });
    expect(job(t, "one.build").artifacts.o).toEqual({ "o/b.txt": h("release/1.2\nrelease/1.2\n") });
  });

  it("a branch in an env value is Build.SourceBranchName (the last segment): a warning says so", () => {
    const ir = irOfText(`pipeglot: 1
name: br
source: { repository: acme/br, branch: main, provider: github }
stages:
  - name: one
    jobs:
      - name: build
        steps:
          - run: echo "$B"
            env: { B: "\${{ git.branch }}" }
`);
    const d = azure.compile(ir).diagnostics.find((x) => x.code === "PG-ADO-BRANCH-NAME");
    expect(d).toMatchObject({ severity: "warning", path: "/stages/0/jobs/0/steps/0/env/B" });
  });

  it("branch and variable conditions carry a warning: Azure compares them ignoring case (MAIN matches main)", async () => {
    const ir = irOfText(`pipeglot: 1
name: case
source: { repository: acme/case, branch: main, provider: github }
variables:
  MODE: { default: fast }
stages:
  - name: one
    jobs:
      - name: build
        steps:
          - name: on-main
            condition: { branches: [main] }
            run: "true"
          - name: on-mode
            condition: { variables: { MODE: fast } }
            run: "true"
          - name: always
            condition: { status: always }
            run: "true"
`);
    const out = azure.compile(ir);
    const warned = out.diagnostics.filter((x) => x.code === "PG-ADO-CONDITION-CASE").map((x) => [x.severity, x.path]);
    expect(warned).toEqual([
      ["warning", "/stages/0/jobs/0/steps/0/condition"],
      ["warning", "/stages/0/jobs/0/steps/1/condition"],
    ]);
    // What the warning is about: the model (Azure's eq ignores case) runs on-main on MAIN, the reference does not.
    const t = await run(ir, out, { branch: "MAIN" });
    expect(stepOf(t, "one.build", "on-main")?.status).toBe("succeeded");
    const reference = await runLocal("neutral", ir, undefined, { record: false, reject: [], inputs: defaultInputs(ir, { branch: "MAIN" }) });
    expect(stepOf(reference, "one.build", "on-main")?.status).toBe("skipped");
  });

  it("a timeout that is not whole minutes is a warning (65 s runs up to 2 minutes)", () => {
    const ir = irOfText(`pipeglot: 1
name: t
source: { repository: acme/t, branch: main, provider: github }
stages:
  - name: one
    jobs:
      - name: build
        timeout: 90s
        steps:
          - run: sleep 1
            timeout: 65s
`);
    const d = azure
      .compile(ir)
      .diagnostics.filter((x) => x.code === "PG-ADO-TIMEOUT-ROUNDED")
      .map((x) => [x.severity, x.path]);
    expect(d).toEqual([
      ["warning", "/stages/0/jobs/0/steps/0/timeout"],
      ["warning", "/stages/0/jobs/0/timeout"],
    ]);
  });
});
