/**
 * The AWS runtime model (issue 15) against hand-written expectations: node-webapp's recorded
 * commands per step, approvals, the secondary-input difference of staging.deploy (files of a
 * consumed artifact are NOT in the primary folder), the shared behaviour fixture in execute mode
 * as AWS really runs it, and a small definition for phases/finally, runOrder and variables.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validate, type PipelineIR } from "@pipeglot/schema";
import { provider as aws } from "@pipeglot/aws";
import { defaultInputs, runLocal, type JobTrace, type LocalRunOptions, type Trace } from "@pipeglot/runtimes";
import { REPO } from "../helpers/paths.js";
import { COMMIT, h, irOf, job, folderWith } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "pg-aws-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function runAws(ir: PipelineIR, more: Partial<LocalRunOptions> = {}): Promise<Trace> {
  return runLocal("aws", ir, aws.compile(ir), { record: false, reject: [], inputs: defaultInputs(ir), ...more });
}

const steps = (j: JobTrace) => j.steps.map((s) => [s.id, s.status, s.exit, s.attempts]);

const folder = (name: string, files: Record<string, string>): string => folderWith(scratch, name, files);

describe("aws model: examples/node-webapp in record mode", () => {
  const source = folder("webapp-record", { "package.json": "{}\n", "dist/app.js": "app\n", "scripts/deploy.sh": "#!/bin/sh\n" });

  it("records each step's commands with its watched env, and has every job key", async () => {
    const ir = await irOf(join(REPO, "examples/node-webapp/pipeglot.yaml"));
    const t = await runAws(ir, { record: true, source });
    expect(t.jobs.map((j) => j.key)).toEqual(["build.bundle", "build.lint", "build.test", "production.deploy", "staging.deploy"]);
    expect(t.outcome).toBe("succeeded");
    const test = job(t, "build.test");
    expect(test.steps.map((s) => [s.id, s.commands])).toEqual([
      ["install", [{ argv: ["npm", "ci"], cwd: ".", env: { NPM_TOKEN: "fake-NPM_TOKEN" } }]],
      ["unit", [{ argv: ["npm", "test", "--", "--reporter=junit"], cwd: ".", env: { NPM_TOKEN: "fake-NPM_TOKEN" } }]],
    ]);
    const staging = job(t, "staging.deploy");
    expect(staging.steps.map((s) => [s.id, s.commands])).toEqual([
      ["upload", [{ argv: ["./scripts/deploy.sh", "staging", "eu-west-1", COMMIT], cwd: ".", env: { DEPLOY_KEY: "fake-DEPLOY_KEY" } }]],
      ["smoke", [{ argv: ["curl", "-fsS", "https://staging.shop.example.com/healthz"], cwd: ".", env: {} }]],
    ]);
    expect(job(t, "build.bundle").steps[0]!.commands.map((c) => c.argv)).toEqual([
      ["npm", "ci"],
      ["npm", "run", "build"],
    ]);
    // The recorded `npm run build` leaves the placeholder record mode makes for the artifact's glob dist/**.
    expect(job(t, "build.bundle").artifacts).toEqual({
      "web-dist": { "dist/app.js": h("app\n"), "dist/recorded": h("made by a recorded command (pipeglot run --record)\n") },
    });
  });

  it("a rejected approval fails the production stage: its deploy is skipped and the run fails", async () => {
    const ir = await irOf(join(REPO, "examples/node-webapp/pipeglot.yaml"));
    const t = await runAws(ir, { record: true, source, reject: ["production"], inputs: defaultInputs(ir, { variables: { DEPLOY_REGION: "us-east-2" } }) });
    expect(t.stages).toEqual([
      { name: "build", status: "succeeded" },
      { name: "staging", status: "succeeded" },
      { name: "production", status: "rejected" },
    ]);
    expect(t.outcome).toBe("failed");
    expect(job(t, "production.deploy")).toEqual({ key: "production.deploy", status: "skipped", files: {}, steps: [], artifacts: {} });
    // The overridden pipeline variable reaches the action's EnvironmentVariables.
    expect(job(t, "staging.deploy").steps[0]!.commands[0]!.argv).toEqual(["./scripts/deploy.sh", "staging", "us-east-2", COMMIT]);
  });
});

describe("aws model: a consumed artifact is a secondary input, copied into the primary folder by the compile's setup command", () => {
  it("staging.deploy starts with dist/app.js at the path build.bundle produced it at", async () => {
    const lock = JSON.stringify({ name: "shop", version: "1.0.0", lockfileVersion: 3, requires: true, packages: { "": { name: "shop", version: "1.0.0" } } });
    const pkg = JSON.stringify({ name: "shop", version: "1.0.0", scripts: { test: "true", lint: "true", build: "mkdir -p dist && echo built > dist/app.js" } });
    const source = folder("webapp-exec", {
      "package.json": pkg,
      "package-lock.json": lock,
      ".npmrc": "audit=false\nfund=false\nupdate-notifier=false\n",
      "scripts/deploy.sh": '#!/bin/sh\ntest -f "$CODEBUILD_SRC_DIR/package.json"\n',
    });
    const ir = await irOf(join(REPO, "examples/node-webapp/pipeglot.yaml"));
    const t = await runAws(ir, { source });
    expect(job(t, "build.bundle").artifacts).toEqual({ "web-dist": { "dist/app.js": h("built\n") } });
    // Hand-written: the source, plus the consumed artifact's file where it was produced.
    expect(Object.keys(job(t, "staging.deploy").files)).toEqual([".npmrc", "dist/app.js", "package-lock.json", "package.json", "scripts/deploy.sh"]);
    expect(job(t, "staging.deploy").files["dist/app.js"]).toBe(h("built\n"));
    expect(job(t, "staging.deploy").steps[0]).toMatchObject({ id: "upload", status: "succeeded", exit: 0 });
    // continueOnError: curl to a host that does not resolve fails (6 or 7); the wrapper keeps that exit, the job goes on.
    expect(job(t, "staging.deploy").steps[1]).toMatchObject({ id: "smoke", status: "failed" });
    expect([6, 7]).toContain(job(t, "staging.deploy").steps[1]!.exit);
    expect(job(t, "staging.deploy").status).toBe("succeeded");
  }, 120_000);
});

describe("aws model: the behaviour fixture in execute mode, as AWS runs it", () => {
  it("guards the branch conditions, keeps continueOnError's real exit, and verify.check sees the artifact", async () => {
    const fixture = join(REPO, "test/fixtures/runtimes/behaviour");
    const ir = await irOf(join(fixture, "pipeglot.yaml"));
    const t = await runAws(ir, { source: join(fixture, "src") });
    const make = job(t, "build.make");
    expect(make.status).toBe("succeeded");
    expect(steps(make)).toEqual([
      ["write", "succeeded", 0, 1],
      ["mode", "succeeded", 0, 1],
      ["flaky", "succeeded", 0, 2],
      ["on-main", "succeeded", 0, 1],
      ["on-release", "skipped", 0, 0], // the shell guard on PIPEGLOT_BRANCH (main) did not run it
      ["tolerated", "failed", 3, 1], // the command succeeds for CodeBuild; the wrapper's pg_exit keeps 3
      ["after", "succeeded", 0, 1],
    ]);
    expect(make.artifacts).toEqual({
      app: {
        "dist/app.txt": h(`hello-world ${COMMIT}\n`),
        "dist/branch.txt": h("main\n"),
        "dist/mode.txt": h("release-hello-world from-step\n"),
        "dist/version.txt": h("1.0.0\n"),
      },
    });
    for (const f of ["alpha", "beta"]) expect(steps(job(t, `build.cells[flavour=${f}]`))).toEqual([["say", "succeeded", 0, 1]]);
    const check = job(t, "verify.check");
    expect(Object.keys(check.files)).toEqual(["VERSION", "dist/app.txt", "dist/branch.txt", "dist/mode.txt", "dist/version.txt"]);
    expect(steps(check)).toEqual([
      ["present", "succeeded", 0, 1],
      ["version", "succeeded", 0, 1],
    ]);
    expect(t.stages).toEqual([
      { name: "build", status: "succeeded" },
      { name: "verify", status: "succeeded" },
    ]);
    expect(t.outcome).toBe("succeeded");
  });
});

const SMALL = `pipeglot: 1
name: small
source: { repository: acme/small, branch: main, provider: github }
variables:
  TARGET: { default: dev, overridable: true }
stages:
  - name: one
    jobs:
      - name: vars
        steps:
          - run: mkdir -p o && echo "\${{ vars.TARGET }} \${{ git.branch }}" > o/v.txt
        artifacts:
          produce: [{ name: v, paths: ["o/**"] }]
      - name: breaks
        steps:
          - name: ok
            run: echo fine
          - name: boom
            run: exit 7
          - name: never
            run: echo never
          - name: cleanup
            condition: failure
            run: echo cleaned
          - name: report
            condition: always
            run: echo report
      - name: later
        needs: [breaks]
        condition: failure
        steps: [{ name: go, run: echo later }]
  - name: two
    jobs:
      - name: idle
        steps: [{ name: go, run: echo idle }]
`;

describe("aws model: phases, finally, runOrder and variables", () => {
  it("a failed command ends its phase, finally runs, later runOrder and stages do not run", async () => {
    const r = validate(SMALL);
    if (!r.ir) throw new Error("SMALL does not validate");
    const t = await runAws(r.ir, { inputs: defaultInputs(r.ir, { variables: { TARGET: "prod" }, branch: "feature/x" }) });
    expect(job(t, "one.vars").artifacts).toEqual({ v: { "o/v.txt": h("prod feature/x\n") } });
    expect(steps(job(t, "one.breaks"))).toEqual([
      ["ok", "succeeded", 0, 1],
      ["boom", "failed", 7, 1],
      ["never", "skipped", 0, 0],
      ["cleanup", "succeeded", 0, 1],
      ["report", "succeeded", 0, 1],
    ]);
    expect(job(t, "one.breaks").status).toBe("failed");
    // CodePipeline: runOrder 2 does not start after a failure in runOrder 1 (the job condition is dropped).
    expect(job(t, "one.later").status).toBe("skipped");
    expect(job(t, "two.idle").status).toBe("skipped");
    expect(t.stages).toEqual([
      { name: "one", status: "failed" },
      { name: "two", status: "skipped" },
    ]);
    expect(t.outcome).toBe("failed");
  });

  it("a failure-only step is skipped when the build succeeds", async () => {
    const r = validate(SMALL.replace("run: exit 7", "run: 'true'"));
    if (!r.ir) throw new Error("SMALL does not validate");
    const t = await runAws(r.ir);
    expect(steps(job(t, "one.breaks"))).toEqual([
      ["ok", "succeeded", 0, 1],
      ["boom", "succeeded", 0, 1],
      ["never", "succeeded", 0, 1],
      ["cleanup", "skipped", 0, 0],
      ["report", "succeeded", 0, 1],
    ]);
    expect(job(t, "one.later").status).toBe("succeeded");
    expect(t.outcome).toBe("succeeded");
  });
});

const LEAK = `pipeglot: 1
name: leak
source: { repository: acme/leak, branch: main }
stages:
  - name: build
    jobs:
      - name: make
        steps:
          - name: wander
            run: mkdir -p sub && cd sub && export PG_LEAK=leaked && touch here.txt
          - name: stay
            run: test -z "\${PG_LEAK:-}" && test ! -e here.txt && test -d sub
          - name: quit
            run: cd sub && exit 3
            continueOnError: true
          - name: after
            run: test ! -e here.txt
`;

describe("aws model: each step starts afresh in the build's one shell", () => {
  it("a cd, an export or an exit of one step does not reach the next one", async () => {
    const r = validate(LEAK);
    if (!r.ir) throw new Error("LEAK does not validate");
    const t = await runAws(r.ir);
    expect(steps(job(t, "build.make"))).toEqual([
      ["wander", "succeeded", 0, 1],
      ["stay", "succeeded", 0, 1],
      ["quit", "failed", 3, 1],
      ["after", "succeeded", 0, 1],
    ]);
    expect(t.outcome).toBe("succeeded");
  });

  it("a buildspec compiled before (steps without options written bare) leaks them, as CodeBuild's one shell does", async () => {
    const r = validate(LEAK);
    if (!r.ir) throw new Error("LEAK does not validate");
    const out = aws.compile(r.ir);
    const files = out.files.map((f) => {
      if (f.path !== "codebuild/leak-build-make.json") return f;
      const project = JSON.parse(f.content) as { source: { buildspec: string } };
      project.source.buildspec = project.source.buildspec.replace(/^(\s+- )bash -c '([^']*)'$/gm, "$1$2").replace(',"isolated":true', "");
      return { ...f, content: JSON.stringify(project) };
    });
    expect(files.find((f) => f.path === "codebuild/leak-build-make.json")!.content).toContain("- mkdir -p sub && cd sub");
    const t = await runLocal("aws", r.ir, { ...out, files }, { record: false, reject: [], inputs: defaultInputs(r.ir) });
    expect(steps(job(t, "build.make"))).toEqual([
      ["wander", "succeeded", 0, 1],
      ["stay", "failed", 1, 1],
      ["quit", "skipped", 0, 0],
      ["after", "skipped", 0, 0],
    ]);
    expect(t.outcome).toBe("failed");
  });
});
