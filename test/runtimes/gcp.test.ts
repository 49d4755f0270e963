/**
 * The Google Cloud Build runtime model (issue 15) against hand-written expectations:
 * node-webapp's recorded commands per step (substitutions, secretEnv, the retry wrapper), the
 * approval chain (gcloud builds triggers run → the gated trigger's build; rejected), the empty
 * artifact tarball that fails the upload step, the shared behaviour fixture in execute mode as
 * Cloud Build runs it (one shared /workspace, steps stopped by their wrapper's guard are skipped,
 * no artifact kept inside one build), job and stage guards, a split definition (artifact through the local bucket, a chained build started with
 * --sha that gets the branch and the run's variable values passed on with --substitutions), and
 * the substitution pass and gcloud's dict flags themselves.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type PipelineIR } from "@pipeglot/schema";
import { provider as gcp } from "@pipeglot/gcp";
import { defaultInputs, runLocal, type JobTrace, type LocalRunOptions, type Trace } from "@pipeglot/runtimes";
import { substitute, substitutionProblems } from "../../packages/runtimes/src/gcp/substitute.js";
import { localPaths } from "../../packages/runtimes/src/gcp/step-run.js";
import { dictArg } from "../../packages/runtimes/src/gcp/tools.js";
import { REPO } from "../helpers/paths.js";
import { COMMIT, h, irOf, irOfText, job, folderWith } from "./helpers.js";

const PLACEHOLDER = "made by a recorded command (pipeglot run --record)\n";
const scratch = mkdtempSync(join(tmpdir(), "pg-gcp-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function runGcp(ir: PipelineIR, more: Partial<LocalRunOptions> = {}): Promise<Trace> {
  return runLocal("gcp", ir, gcp.compile(ir), { record: false, reject: [], inputs: defaultInputs(ir), ...more });
}

const steps = (j: JobTrace) => j.steps.map((s) => [s.id, s.status, s.exit, s.attempts]);
const stages = (t: Trace) => t.stages.map((s) => [s.name, s.status]);

const folder = (name: string, files: Record<string, string>): string => folderWith(scratch, name, files);

describe("gcp model: examples/node-webapp in record mode", () => {
  const source = folder("webapp", { "package.json": "{}\n", "dist/app.js": "app\n", "scripts/deploy.sh": "#!/bin/sh\n" });
  const webapp = () => irOf(join(REPO, "examples/node-webapp/pipeglot.yaml"));

  it("records each step's argv and watched env, runs the production build after the approval, keeps the uploaded artifact", async () => {
    const t = await runGcp(await webapp(), { record: true, source });
    expect(t.jobs.map((j) => j.key)).toEqual(["build.bundle", "build.lint", "build.test", "production.deploy", "staging.deploy"]);
    expect(t.outcome).toBe("succeeded");
    expect(stages(t)).toEqual([
      ["build", "succeeded"],
      ["staging", "succeeded"],
      ["production", "succeeded"],
    ]);
    expect(job(t, "build.test").steps.map((s) => [s.id, s.attempts, s.commands])).toEqual([
      ["install", 1, [{ argv: ["npm", "ci"], cwd: ".", env: { NPM_TOKEN: "fake-NPM_TOKEN" } }]],
      ["unit", 1, [{ argv: ["npm", "test", "--", "--reporter=junit"], cwd: ".", env: { NPM_TOKEN: "fake-NPM_TOKEN" } }]],
    ]);
    expect(job(t, "staging.deploy").steps.map((s) => s.commands)).toEqual([
      [{ argv: ["./scripts/deploy.sh", "staging", "eu-west-1", COMMIT], cwd: ".", env: { DEPLOY_KEY: "fake-DEPLOY_KEY" } }],
      [{ argv: ["curl", "-fsS", "https://staging.shop.example.com/healthz"], cwd: ".", env: {} }],
    ]);
    expect(job(t, "production.deploy").steps[0]!.commands).toEqual([
      { argv: ["./scripts/deploy.sh", "production", "eu-west-1", COMMIT], cwd: ".", env: { DEPLOY_KEY: "fake-DEPLOY_KEY" } },
    ]);
    // What the upload step's tarball holds: the checkout's dist/app.js and record mode's placeholder.
    expect(job(t, "build.bundle").artifacts).toEqual({ "web-dist": { "dist/app.js": h("app\n"), "dist/recorded": h(PLACEHOLDER) } });
    expect(t.notes).toContain("container images are not used: steps run on this machine with bash");
  });

  it("a rejected approval: the production build never starts", async () => {
    const t = await runGcp(await webapp(), { record: true, source, reject: ["production"] });
    expect(stages(t)).toEqual([
      ["build", "succeeded"],
      ["staging", "succeeded"],
      ["production", "rejected"],
    ]);
    expect(job(t, "production.deploy")).toEqual({ key: "production.deploy", status: "skipped", files: {}, steps: [], artifacts: {} });
    expect(t.outcome).toBe("failed");
  });
});

describe("gcp model: the behaviour fixture in execute mode", () => {
  const dir = join(REPO, "test/fixtures/runtimes/behaviour");

  it("runs every job in one shared workspace; a step whose branch guard does not hold is skipped (the guard's marker)", async () => {
    const t = await runGcp(await irOf(join(dir, "pipeglot.yaml")), { source: join(dir, "src") });
    expect(t.outcome).toBe("succeeded");
    expect(stages(t)).toEqual([
      ["build", "succeeded"],
      ["verify", "succeeded"],
    ]);
    expect(steps(job(t, "build.make"))).toEqual([
      ["write", "succeeded", 0, 1],
      ["mode", "succeeded", 0, 1],
      ["flaky", "succeeded", 0, 2],
      ["on-main", "succeeded", 0, 1],
      ["on-release", "skipped", 0, 0],
      ["tolerated", "failed", 3, 1],
      ["after", "succeeded", 0, 1],
    ]);
    expect(job(t, "build.make").files).toEqual({ VERSION: h("1.0.0\n") });
    // cells need make: in the shared /workspace they see make's files, and each other's output later.
    expect(Object.keys(job(t, "build.cells[flavour=alpha]").files)).toEqual([
      "VERSION",
      "dist/app.txt",
      "dist/branch.txt",
      "dist/mode.txt",
      "dist/version.txt",
    ]);
    expect(steps(job(t, "build.cells[flavour=beta]"))).toEqual([["say", "succeeded", 0, 1]]);
    const check = job(t, "verify.check");
    expect(check.files["dist/app.txt"]).toBe(h(`hello-world ${COMMIT}\n`));
    expect(check.files["out/alpha.txt"]).toBe(h("cell alpha\n"));
    expect(steps(check)).toEqual([
      ["present", "succeeded", 0, 1],
      ["version", "succeeded", 0, 1],
    ]);
    // One build: nothing is uploaded, so no artifact is kept.
    expect(job(t, "build.make").artifacts).toEqual({});
  });

  it("on release/1: on-main is skipped by its guard, on-release runs, after fails and stops the build", async () => {
    const ir = await irOf(join(dir, "pipeglot.yaml"));
    const t = await runGcp(ir, { source: join(dir, "src"), inputs: defaultInputs(ir, { branch: "release/1" }) });
    expect(steps(job(t, "build.make")).slice(3)).toEqual([
      ["on-main", "skipped", 0, 0],
      ["on-release", "succeeded", 0, 1],
      ["tolerated", "failed", 3, 1],
      ["after", "failed", 1, 1],
    ]);
    expect(job(t, "build.make").status).toBe("failed");
    expect(job(t, "build.cells[flavour=alpha]").status).toBe("skipped");
    expect(job(t, "verify.check").status).toBe("skipped");
    expect(stages(t)).toEqual([
      ["build", "failed"],
      ["verify", "skipped"],
    ]);
    expect(t.outcome).toBe("failed");
  });
});

const GUARDS = `pipeglot: 1
name: guards
source: { repository: acme/guards, branch: main, provider: github }
variables:
  MODE: { default: test, overridable: true }
stages:
  - name: one
    jobs:
      - name: a
        condition: { branches: ["release/*"] }
        steps:
          - name: x
            run: echo a > a.txt
          - name: y
            run: echo a2 > a2.txt
      - name: b
        steps:
          - name: z
            run: echo b > b.txt
      - name: e
        needs: [a]
        steps:
          - name: v
            run: test -f a.txt
  - name: two
    needs: [one]
    condition: { variables: { MODE: deploy } }
    jobs:
      - name: c
        steps:
          - name: w
            run: test -f a.txt && test -f b.txt
  - name: three
    needs: [two]
    jobs:
      - name: d
        steps:
          - name: u
            run: test -f a.txt
targets:
  gcp:
    project: p
`;

describe("gcp model: job and stage guards in execute mode", () => {
  it("a job whose job guard stopped every step is skipped (its stage ran); a stage whose stage guard stopped every job is skipped; so are the job and the stage that need them", async () => {
    const t = await runGcp(irOfText(GUARDS));
    expect(job(t, "one.a")).toEqual({ key: "one.a", status: "skipped", files: {}, steps: [], artifacts: {} });
    expect(steps(job(t, "one.b"))).toEqual([["z", "succeeded", 0, 1]]);
    expect(job(t, "two.c").status).toBe("skipped");
    // Skipped through needs: e needs the skipped job a, three needs the skipped stage two.
    expect(job(t, "one.e").status).toBe("skipped");
    expect(job(t, "three.d").status).toBe("skipped");
    expect(stages(t)).toEqual([
      ["one", "succeeded"],
      ["two", "skipped"],
      ["three", "skipped"],
    ]);
    expect(t.outcome).toBe("succeeded");
  });

  it("where the guards hold, the jobs run", async () => {
    const ir = irOfText(GUARDS);
    const t = await runGcp(ir, { inputs: defaultInputs(ir, { branch: "release/2", variables: { MODE: "deploy" } }) });
    expect(steps(job(t, "one.a"))).toEqual([
      ["x", "succeeded", 0, 1],
      ["y", "succeeded", 0, 1],
    ]);
    expect(steps(job(t, "two.c"))).toEqual([["w", "succeeded", 0, 1]]);
    expect(steps(job(t, "one.e"))).toEqual([["v", "succeeded", 0, 1]]);
    expect(steps(job(t, "three.d"))).toEqual([["u", "succeeded", 0, 1]]);
    expect(stages(t)).toEqual([
      ["one", "succeeded"],
      ["two", "succeeded"],
      ["three", "succeeded"],
    ]);
  });
});

const SPLIT = `pipeglot: 1
name: split
source: { repository: acme/split, branch: main, provider: github }
variables:
  WORD: { default: plain, overridable: true }
  BRANCH: { default: main, overridable: true }
stages:
  - name: build
    jobs:
      - name: make
        steps:
          - name: write
            run: mkdir -p out && echo "\${{ vars.WORD }}" > out/word.txt && echo x > out/extra.log
            timeout: 30s
        artifacts:
          produce:
            - name: words
              paths: ["out/*.txt"]
  - name: ship
    needs: [build]
    approval:
      approvers: [me]
    jobs:
      - name: use
        artifacts:
          consume: [words]
        steps:
          - name: branch
            continueOnError: true
            run: test "\${{ git.branch }}" = "\${{ vars.BRANCH }}"
          - name: read
            run: grep -qx "\${{ vars.WORD }}" out/word.txt
targets:
  gcp:
    project: p
    artifactBucket: split-bucket
`;

describe("gcp model: a build split at an approval, in execute mode", () => {
  it("carries the artifact through the local bucket; the chained build (--sha) gets the branch passed on as _PIPEGLOT_BRANCH", async () => {
    const t = await runGcp(irOfText(SPLIT));
    expect(t.outcome).toBe("succeeded");
    expect(job(t, "build.make").artifacts).toEqual({ words: { "out/word.txt": h("plain\n") } });
    // The second build's workspace is a fresh checkout plus the fetched tarball (out/*.txt only).
    expect(job(t, "ship.use").files).toEqual({ "out/word.txt": h("plain\n") });
    expect(steps(job(t, "ship.use"))).toEqual([
      ["branch", "succeeded", 0, 1],
      ["read", "succeeded", 0, 1],
    ]);
  });

  it("an artifact whose paths match nothing: the upload step says whose it is and fails; the producing job failed, the next build never starts", async () => {
    const t = await runGcp(irOfText(SPLIT.replace(/run: mkdir -p out .*\n/, "run: echo nothing\n")));
    expect(steps(job(t, "build.make"))).toEqual([["write", "succeeded", 0, 1]]);
    expect(job(t, "build.make").status).toBe("failed");
    expect(job(t, "build.make").artifacts).toEqual({});
    expect(job(t, "ship.use").status).toBe("skipped");
    expect(stages(t)).toEqual([
      ["build", "failed"],
      ["ship", "skipped"],
    ]);
    expect(t.outcome).toBe("failed");
    expect(t.notes).toContain("gcp: job build.make failed: its artifact words matched no file, so pipeglot's upload step (pipeglot__upload-artifacts) failed");
    expect(t.notes).toContain("gcp: build local-build-1 (split-push) failed: step pipeglot__upload-artifacts exit 1");
  });

  it("a variable given for the run (with a comma) is passed on to the chained build with --substitutions", async () => {
    const ir = irOfText(SPLIT);
    const t = await runGcp(ir, { inputs: defaultInputs(ir, { branch: "feature/x", variables: { WORD: "fancy, really", BRANCH: "feature/x" } }) });
    expect(job(t, "build.make").artifacts).toEqual({ words: { "out/word.txt": h("fancy, really\n") } });
    expect(steps(job(t, "ship.use"))).toEqual([
      ["branch", "succeeded", 0, 1],
      ["read", "succeeded", 0, 1],
    ]);
    expect(stages(t)).toEqual([
      ["build", "succeeded"],
      ["ship", "succeeded"],
    ]);
  });
});

describe("gcp model: step timeout, allowFailure and dir in execute mode", () => {
  it("a step over its timeout fails with 124; allowFailure lets the build go on; dir is under the workspace", async () => {
    const ir = irOfText(`pipeglot: 1
name: slow
source: { repository: acme/slow, branch: main, provider: github }
stages:
  - name: s
    jobs:
      - name: j
        steps:
          - name: slow
            timeout: 1s
            continueOnError: true
            run: sleep 5
          - name: here
            workingDirectory: sub/dir
            run: pwd > /dev/null && touch made-here
          - name: check
            run: test -f sub/dir/made-here
`);
    const t = await runGcp(ir);
    expect(steps(job(t, "s.j"))).toEqual([
      ["slow", "failed", 124, 1],
      ["here", "succeeded", 0, 1],
      ["check", "succeeded", 0, 1],
    ]);
    expect(job(t, "s.j").status).toBe("succeeded");
    expect(t.outcome).toBe("succeeded");
  });
});

describe("gcp model: the substitution pass and the workspace paths", () => {
  const values = { _WORD: "hi", COMMIT_SHA: "abc" };

  it("$$ is a dollar, $KEY and ${KEY} are replaced, unknown keys are empty, other $ text stays", () => {
    expect(substitute("a $$HOME $${_WORD} ${_WORD}-$_WORD $COMMIT_SHA ${_NOPE}. $1 $foo $(x) $", values)).toBe("a $HOME ${_WORD} hi-hi abc . $1 $foo $(x) $");
  });

  it("MUST_MATCH refuses a key without value and a user substitution never used; ALLOW_LOOSE refuses nothing", () => {
    const build = { steps: [{ entrypoint: "bash", args: ["-c", "echo ${_NOPE} $BRANCH_NAME"] }], substitutions: { _WORD: "hi" } };
    expect(substitutionProblems(build, { _WORD: "hi", BRANCH_NAME: "main" })).toEqual([
      "key _NOPE in the template has no value",
      "substitution _WORD is not used in the template",
    ]);
    expect(substitutionProblems({ ...build, options: { substitutionOption: "ALLOW_LOOSE" } }, { _WORD: "hi" })).toEqual([]);
  });

  it("reads a gcloud dict flag at commas, or at the ^DELIM^ delimiter, each item split at its first =", () => {
    expect(dictArg("_A=1,_B=x=y")).toEqual({ _A: "1", _B: "x=y" });
    expect(dictArg("^~pg~^_A=a, b~pg~_B=~pg~_C=c")).toEqual({ _A: "a, b", _B: "", _C: "c" });
  });

  it("rewrites the /workspace and /tmp prefixes only", () => {
    expect(localPaths("cd /workspace/a; ls /workspaces /tmp/x.tgz x/tmp /workspace", "/W", "/T")).toBe("cd /W/a; ls /workspaces /T/x.tgz x/tmp /W");
  });
});
