/**
 * The OCI DevOps runtime model (issue 15) against hand-written expectations: node-webapp's
 * recorded commands (build specs through the docker stand-in, the deploy pipeline's SHELL stage,
 * the approval), the shared behaviour fixture in execute mode (where OCI differs from the
 * reference: retries inside one step, `|| true`, shell guards), and a hand-written compile
 * output for the build-spec rules the compiler does not exercise (exported variables, step
 * environment carried to later steps, stage artifacts, timeouts, onFailure, a failed stage).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { ProviderOutput } from "@pipeglot/core";
import { validate } from "@pipeglot/schema";
import { provider as oci } from "@pipeglot/oci";
import { defaultInputs, runLocal, type Trace } from "@pipeglot/runtimes";
import { REPO } from "../helpers/paths.js";
import { COMMIT, h, irOf, job } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "pg-oci-model-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const step = (t: Trace, key: string, id: string) => job(t, key).steps.find((s) => s.id === id);
/** What a recorded command leaves at each path its job's artifacts name (record mode). */
const PLACEHOLDER = h("made by a recorded command (pipeglot run --record)\n");
const summary = (t: Trace, key: string) => job(t, key).steps.map((s) => `${s.id} ${s.status} ${s.exit} ${s.attempts}`);

describe("oci model: node-webapp in record mode", () => {
  const source = join(scratch, "webapp-src");
  mkdirSync(join(source, "dist"), { recursive: true });
  mkdirSync(join(source, "scripts"), { recursive: true });
  writeFileSync(join(source, "dist/index.html"), "<p>shop</p>\n");
  writeFileSync(join(source, "package.json"), "{}\n");
  const run = async (reject: string[] = []) => {
    const ir = await irOf(join(REPO, "examples/node-webapp/pipeglot.yaml"));
    return runLocal("oci", ir, oci.compile(ir), { record: true, reject, inputs: defaultInputs(ir), source });
  };

  it("records each build-spec step's inner command (docker stand-in) with its watched env", async () => {
    const t = await run();
    expect(t.jobs.map((j) => j.key)).toEqual(["build.bundle", "build.lint", "build.test", "production.deploy", "staging.deploy"]);
    expect(step(t, "build.test", "install")?.commands).toEqual([{ argv: ["npm", "ci"], cwd: ".", env: { NPM_TOKEN: "fake-NPM_TOKEN" } }]);
    expect(step(t, "build.test", "unit")?.commands).toEqual([
      { argv: ["npm", "test", "--", "--reporter=junit"], cwd: ".", env: { NPM_TOKEN: "fake-NPM_TOKEN" } },
    ]);
    expect(step(t, "staging.deploy", "upload")?.commands).toEqual([
      { argv: ["./scripts/deploy.sh", "staging", "eu-west-1", COMMIT], cwd: ".", env: { DEPLOY_KEY: "fake-DEPLOY_KEY" } },
    ]);
    expect(step(t, "staging.deploy", "smoke")?.commands).toEqual([{ argv: ["curl", "-fsS", "https://staging.shop.example.com/healthz"], cwd: ".", env: {} }]);
    expect(job(t, "build.bundle").artifacts).toEqual({ "web-dist": { "dist/index.html": h("<p>shop</p>\n"), "dist/recorded": PLACEHOLDER } });
    expect(t.notes).toContain("container images are not used: steps run on this machine with bash");
  });

  it("runs the SHELL stage after the approval without a source checkout: ./scripts/deploy.sh is missing", async () => {
    const t = await run();
    // The command spec's workspace holds only the delivered artifact, unpacked by pipeglot's step.
    expect(job(t, "production.deploy").files).toEqual({
      "dist/index.html": h("<p>shop</p>\n"),
      "dist/recorded": PLACEHOLDER,
      "pipeglot/web-dist.tgz": expect.any(String),
    });
    expect(summary(t, "production.deploy")).toEqual(["upload failed 127 1"]);
    expect(t.stages).toEqual([
      { name: "build", status: "succeeded" },
      { name: "staging", status: "succeeded" },
      { name: "production", status: "failed" },
    ]);
    expect(t.outcome).toBe("failed");
  });

  it("a rejected approval stops the deploy pipeline", async () => {
    const t = await run(["production"]);
    expect(t.stages.find((s) => s.name === "production")?.status).toBe("rejected");
    expect(job(t, "production.deploy")).toEqual({ key: "production.deploy", status: "skipped", files: {}, steps: [], artifacts: {} });
    expect(job(t, "staging.deploy").status).toBe("succeeded");
    expect(t.outcome).toBe("failed");
  });
});

describe("oci model: the behaviour fixture in execute mode", () => {
  const fixture = join(REPO, "test/fixtures/runtimes/behaviour");
  const run = async (branch?: string) => {
    const ir = await irOf(join(fixture, "pipeglot.yaml"));
    return runLocal("oci", ir, oci.compile(ir), {
      record: false,
      reject: [],
      inputs: defaultInputs(ir, branch ? { branch } : {}),
      source: join(fixture, "src"),
    });
  };

  it("runs every job; the wrapper's retry loop, guard and continueOnError report the step as the reference does", async () => {
    const t = await run();
    expect(t.outcome).toBe("succeeded");
    expect(t.jobs.map((j) => j.key)).toEqual(["build.cells[flavour=alpha]", "build.cells[flavour=beta]", "build.make", "verify.check"]);
    expect(summary(t, "build.make")).toEqual([
      "write succeeded 0 1",
      "mode succeeded 0 1",
      "flaky succeeded 0 2", // the retry loop's pg_try: the second attempt succeeded
      "on-main succeeded 0 1",
      "on-release skipped 0 0", // the guard set pg_skipped (the OCI step itself succeeds)
      "tolerated failed 3 1", // continueOnError kept exit 3 in pg_failed; the job goes on
      "after succeeded 0 1",
    ]);
    const app = {
      "dist/app.txt": h(`hello-world ${COMMIT}\n`),
      "dist/branch.txt": h("main\n"),
      "dist/mode.txt": h("release-hello-world from-step\n"),
      "dist/version.txt": h("1.0.0\n"),
    };
    expect(job(t, "build.make").artifacts).toEqual({ app });
    expect(job(t, "build.make").files).toEqual({ VERSION: h("1.0.0\n") });
    expect(job(t, "verify.check").files).toEqual({ VERSION: h("1.0.0\n"), ...app });
    expect(summary(t, "verify.check")).toEqual(["present succeeded 0 1", "version succeeded 0 1"]);
  });

  it("on release/1 the failed job stops the build run: verify never starts", async () => {
    const t = await run("release/1");
    expect(step(t, "build.make", "after")).toMatchObject({ status: "failed", exit: 1 });
    expect(job(t, "build.make").artifacts).toEqual({});
    expect(job(t, "verify.check").status).toBe("skipped");
    expect(t.stages).toEqual([
      { name: "build", status: "failed" },
      { name: "verify", status: "skipped" },
    ]);
  });
});

/** A hand-written compile output: two BUILD stages a → b, exercising the build-spec rules directly. */
function handOutput(): ProviderOutput {
  const tags = (job: string) => ({ "pipeglot-stage": "s", "pipeglot-stage-index": "0", "pipeglot-job": job });
  const stage = (job: string, preds: string[]) => ({
    buildPipelineStageType: "BUILD",
    displayName: `s.${job}`,
    buildPipelineStagePredecessorCollection: { items: preds.map((p) => ({ id: p })) },
    buildSpecFile: `.pipeglot/oci/build_specs/s.${job}.yaml`,
    primaryBuildSource: "source",
    freeformTags: tags(job),
  });
  const specA = {
    version: 0.1,
    component: "build",
    shell: "bash",
    env: { variables: { GREETING: "hi-${P}" }, vaultVariables: { TOKEN: "ocid1.vaultsecret.oc1..tok" }, exportedVariables: ["FOO"] },
    steps: [
      { type: "Command", name: "first", command: 'export FOO=bar\nmkdir -p sub && cd sub\necho "$GREETING $TOKEN" > "$OCI_PRIMARY_SOURCE_DIR/out.txt"' },
      { type: "Command", name: "second", command: 'test "$FOO" = bar && test "$PWD" = "$OCI_PRIMARY_SOURCE_DIR"' },
    ],
    outputArtifacts: [{ name: "art", type: "BINARY", location: "${OCI_PRIMARY_SOURCE_DIR}/out.txt" }],
  };
  const specB = {
    version: 0.1,
    component: "build",
    shell: "bash",
    inputArtifacts: [{ name: "art", type: "STAGE_ARTIFACT", location: "${OCI_WORKSPACE_DIR}/in/got.txt" }],
    steps: [
      { type: "Command", name: "uses", command: 'test "$FOO" = bar && cp "$OCI_WORKSPACE_DIR/in/got.txt" got.txt' },
      {
        type: "Command",
        name: "slow",
        timeoutInSeconds: 1,
        command: "sleep 5",
        onFailure: [{ type: "Command", command: 'echo cleaned > "$TMPDIR/on-failure"' }],
      },
      { type: "Command", name: "never", command: "true" },
    ],
  };
  const files = [
    {
      path: "build_pipeline.json",
      kind: "oci.CreateBuildPipelineDetails",
      content: JSON.stringify({ displayName: "hand", buildPipelineParameters: { items: [{ name: "P", defaultValue: "dflt" }] } }),
    },
    { path: "build_stages/s.a.json", kind: "oci.CreateBuildPipelineStageDetails", content: JSON.stringify(stage("a", ["${buildPipeline.id}"])) },
    { path: "build_stages/s.b.json", kind: "oci.CreateBuildPipelineStageDetails", content: JSON.stringify(stage("b", ["${buildStage.s.a.id}"])) },
    { path: "build_specs/s.a.yaml", kind: "oci.BuildSpec", content: stringify(specA) },
    { path: "build_specs/s.b.yaml", kind: "oci.BuildSpec", content: stringify(specB) },
  ];
  return { provider: "oci", pipeline: "hand", files, diagnostics: [] };
}

describe("oci model: build-spec rules on a hand-written output", () => {
  const text = `pipeglot: 1
name: hand
source: { repository: acme/hand, branch: main }
variables: { P: { default: dflt, overridable: true } }
secrets: { TOKEN: { oci: ocid1.vaultsecret.oc1..tok } }
stages:
  - name: s
    jobs:
      - { name: a, steps: [{ name: first, run: "true" }, { name: second, run: "true" }] }
      - { name: b, needs: [a], steps: [{ name: uses, run: "true" }, { name: slow, run: "true" }, { name: never, run: "true" }] }
`;
  const ir = validate(text).ir;
  if (!ir) throw new Error("the inline definition does not validate");
  const runScratch = join(scratch, "hand-run");

  it("carries exports between steps and stages, passes the stage artifact, times a step out and skips the rest", async () => {
    const t = await runLocal("oci", ir, handOutput(), {
      record: false,
      reject: [],
      inputs: defaultInputs(ir, { variables: { P: "given" } }),
      scratch: runScratch,
    });
    expect(summary(t, "s.a")).toEqual(["first succeeded 0 1", "second succeeded 0 1"]);
    expect(job(t, "s.a").artifacts).toEqual({ art: { art: h("hi-given fake-TOKEN\n") } });
    expect(summary(t, "s.b")).toEqual(["uses succeeded 0 1", "slow failed 124 1", "never skipped 0 0"]);
    expect(t.outcome).toBe("failed");
    expect(t.stages).toEqual([{ name: "s", status: "failed" }]);
    expect(readFileSync(join(runScratch, "tmp/on-failure"), "utf8")).toBe("cleaned\n");
  });
});

describe("oci model: other examples in record mode", () => {
  const recordRun = async (example: string, files: string[], reject: string[] = []) => {
    const source = mkdtempSync(join(scratch, `${example}-`));
    for (const f of files) {
      mkdirSync(join(source, f, ".."), { recursive: true });
      writeFileSync(join(source, f), "x\n");
    }
    const ir = await irOf(join(REPO, `examples/${example}/pipeglot.yaml`));
    return runLocal("oci", ir, oci.compile(ir), { record: true, reject, inputs: defaultInputs(ir), source });
  };

  it("monorepo: the e2e step runs in tests/e2e (record mode makes the working folders), libs-dist holds the placeholder too", async () => {
    const t = await recordRun("monorepo", ["libs/core/dist/a.js", "services/api/dist/a.js", "services/worker/dist/a.js"]);
    expect(step(t, "build.e2e", "e2e")).toEqual({
      id: "e2e",
      status: "succeeded",
      exit: 0,
      attempts: 1,
      commands: [{ argv: ["npm", "run", "e2e"], cwd: "tests/e2e", env: {} }],
    });
    expect(job(t, "build.libs").artifacts).toEqual({ "libs-dist": { "libs/core/dist/a.js": h("x\n"), "libs/recorded/dist/recorded": PLACEHOLDER } });
  });

  it("release: the disabled transition is a MANUAL_APPROVAL stage, approved here; rejecting it stops publish", async () => {
    const approved = await recordRun("release", ["dist/acme"]);
    expect(approved.stages.find((s) => s.name === "publish")?.status).toBe("failed");
    // No source checkout on the SHELL stage: gh is recorded, ./scripts/notify.sh is not there.
    expect(summary(approved, "publish.github-release")).toEqual(["publish succeeded 0 1", "notify failed 127 1"]);
    const rejected = await recordRun("release", ["dist/acme"], ["publish"]);
    expect(rejected.stages.find((s) => s.name === "publish")?.status).toBe("rejected");
    expect(job(rejected, "publish.github-release").status).toBe("skipped");
  });
});

describe("oci model: pipeglot's step wrappers in execute mode", () => {
  const text = `pipeglot: 1
name: wrappers
source: { repository: acme/wrappers, branch: main }
variables: { MODE: { default: dev, overridable: true } }
stages:
  - name: s
    jobs:
      - name: tolerant
        steps:
          - { name: stubborn, retries: 1, continueOnError: true, run: "exit 4" }
          - { name: after, run: "true" }
      - name: retried
        steps:
          - { name: never, retries: 2, run: "exit 5" }
          - { name: later, run: "true" }
      - name: guarded
        condition: { variables: { MODE: prod } }
        steps:
          - { name: one, run: "echo one > one.txt" }
      - name: empty
        artifacts: { produce: [{ name: nothing, paths: ["missing/**"] }] }
        steps:
          - { name: quiet, run: "true" }
`;
  const ir = validate(text).ir;
  if (!ir) throw new Error("the inline definition does not validate");
  const compiled = oci.compile(ir);

  it("retries inside continueOnError: both attempts fail with exit 4, the step is failed/4 after 2 attempts and the job goes on", async () => {
    const t = await runLocal("oci", ir, compiled, { record: false, reject: [], inputs: defaultInputs(ir) });
    expect(summary(t, "s.tolerant")).toEqual(["stubborn failed 4 2", "after succeeded 0 1"]);
    expect(job(t, "s.tolerant").status).toBe("succeeded");
    // The loop's status is the last attempt's: exit 5 after 3 attempts (not a generic exit 1).
    expect(summary(t, "s.retried")).toEqual(["never failed 5 3", "later skipped 0 0"]);
    expect(job(t, "s.retried").status).toBe("failed");
  });

  it("a job condition is a guard in each step: the OCI stage succeeds with its steps skipped, and the compile warns at the condition", async () => {
    const t = await runLocal("oci", ir, compiled, { record: false, reject: [], inputs: defaultInputs(ir) });
    expect(job(t, "s.guarded")).toMatchObject({ status: "succeeded", steps: [{ id: "one", status: "skipped", exit: 0, attempts: 0, commands: [] }] });
    const guard = compiled.diagnostics.filter((d) => d.code === "PG-OCI-CONDITION-GUARD").map((d) => [d.severity, d.path]);
    expect(guard).toEqual([["warning", "/stages/0/jobs/2/condition"]]);
  });

  it("an artifact whose paths match nothing fails its job at the pack step (tar refuses an empty archive), as in the reference", async () => {
    const t = await runLocal("oci", ir, compiled, { record: false, reject: [], inputs: defaultInputs(ir) });
    expect(job(t, "s.empty")).toMatchObject({ status: "failed", steps: [{ id: "quiet", status: "succeeded", exit: 0, attempts: 1 }], artifacts: {} });
    expect(t.outcome).toBe("failed");
  });
});
