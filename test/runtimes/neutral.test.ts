/**
 * The neutral reference interpreter (issue 15) against hand-written expectations: the shared
 * behaviour fixture in execute mode (test/fixtures/runtimes/behaviour/EXPECTED.md), approvals and
 * holds, node-webapp's recorded commands, references as data, and every example in record mode.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validate, type PipelineIR } from "@pipeglot/schema";
import { defaultInputs, runLocal, type JobTrace, type LocalRunOptions, type Trace } from "@pipeglot/runtimes";
import { examples, REPO } from "../helpers/paths.js";
import { COMMIT, h, irOf, job } from "./helpers.js";

const FIXTURE = join(REPO, "test/fixtures/runtimes/behaviour");

/** The FileSet hash of a text: the first 16 hex digits of its sha256. */

function irOfText(text: string): PipelineIR {
  const r = validate(text);
  if (!r.ir) throw new Error("the inline definition does not validate");
  return r.ir;
}

function run(ir: PipelineIR, more: Partial<LocalRunOptions> = {}): Promise<Trace> {
  return runLocal("neutral", ir, undefined, { record: false, reject: [], inputs: defaultInputs(ir), ...more });
}

/** id → [status, exit, attempts] of a job's steps. */
const steps = (j: JobTrace) => Object.fromEntries(j.steps.map((s) => [s.id, [s.status, s.exit, s.attempts]]));

const scratches: string[] = [];
afterAll(() => scratches.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("neutral: the behaviour fixture in execute mode", async () => {
  const ir = await irOf(join(FIXTURE, "pipeglot.yaml"));
  const progress: string[] = [];
  const t = await run(ir, { source: join(FIXTURE, "src"), onProgress: (e) => progress.push(`${e.kind} ${e.name} ${e.status ?? ""}`.trim()) });
  const app = {
    "dist/app.txt": h(`hello-world ${COMMIT}\n`),
    "dist/branch.txt": h("main\n"),
    "dist/mode.txt": h("release-hello-world from-step\n"),
    "dist/version.txt": h("1.0.0\n"),
  };

  it("succeeds, with both stages succeeded and every job key present", () => {
    expect(t.outcome).toBe("succeeded");
    expect(t.stages).toEqual([
      { name: "build", status: "succeeded" },
      { name: "verify", status: "succeeded" },
    ]);
    expect(t.jobs.map((j) => [j.key, j.status])).toEqual([
      ["build.cells[flavour=alpha]", "succeeded"],
      ["build.cells[flavour=beta]", "succeeded"],
      ["build.make", "succeeded"],
      ["verify.check", "succeeded"],
    ]);
  });

  it("runs the steps of build.make with retries, conditions and continueOnError", () => {
    expect(steps(job(t, "build.make"))).toEqual({
      write: ["succeeded", 0, 1],
      mode: ["succeeded", 0, 1],
      flaky: ["succeeded", 0, 2],
      "on-main": ["succeeded", 0, 1],
      "on-release": ["skipped", 0, 0],
      tolerated: ["failed", 3, 1],
      after: ["succeeded", 0, 1],
    });
  });

  it("saves the artifact with the variable, the commit and the env values in it, and restores it for the next stage", () => {
    expect(job(t, "build.make").files).toEqual({ VERSION: h("1.0.0\n") });
    expect(job(t, "build.make").artifacts).toEqual({ app });
    expect(job(t, "verify.check").files).toEqual({ VERSION: h("1.0.0\n"), ...app });
    expect(steps(job(t, "verify.check"))).toEqual({ present: ["succeeded", 0, 1], version: ["succeeded", 0, 1] });
  });

  it("runs each matrix cell in its own workspace, producing nothing", () => {
    for (const k of ["build.cells[flavour=alpha]", "build.cells[flavour=beta]"]) {
      expect(job(t, k).files).toEqual({ VERSION: h("1.0.0\n") });
      expect(steps(job(t, k))).toEqual({ say: ["succeeded", 0, 1] });
      expect(job(t, k).artifacts).toEqual({});
    }
  });

  it("reports progress job by job in needs order, then each stage", () => {
    expect(progress).toEqual([
      "job-start build.make",
      "job-end build.make succeeded",
      "job-start build.cells[flavour=alpha]",
      "job-end build.cells[flavour=alpha] succeeded",
      "job-start build.cells[flavour=beta]",
      "job-end build.cells[flavour=beta] succeeded",
      "stage-end build succeeded",
      "job-start verify.check",
      "job-end verify.check succeeded",
      "stage-end verify succeeded",
    ]);
  });

  it("notes that container images are not used", () => {
    expect(t.notes).toEqual(["container images are not used: steps run on this machine with bash"]);
  });
});

describe("neutral: the behaviour fixture on a release branch", async () => {
  const ir = await irOf(join(FIXTURE, "pipeglot.yaml"));
  const t = await run(ir, { source: join(FIXTURE, "src"), inputs: defaultInputs(ir, { branch: "release/1" }) });

  it("swaps the conditional steps, fails build.make at `after`, and skips the next stage", () => {
    expect(steps(job(t, "build.make"))).toMatchObject({ "on-main": ["skipped", 0, 0], "on-release": ["succeeded", 0, 1], after: ["failed", 1, 1] });
    expect(job(t, "build.make").status).toBe("failed");
    expect(job(t, "build.make").artifacts).toEqual({});
    expect(job(t, "build.cells[flavour=alpha]").status).toBe("skipped");
    expect(t.stages).toEqual([
      { name: "build", status: "failed" },
      { name: "verify", status: "skipped" },
    ]);
    expect(job(t, "verify.check")).toEqual({ key: "verify.check", status: "skipped", files: {}, steps: [], artifacts: {} });
    expect(t.outcome).toBe("failed");
  });
});

describe("neutral: approvals and holds", () => {
  it("a rejected approval rejects the stage, skips its jobs and fails the run", async () => {
    const ir = await irOf(join(REPO, "examples/node-webapp/pipeglot.yaml"));
    const t = await run(ir, { record: true, reject: ["production"] });
    expect(t.stages).toEqual([
      { name: "build", status: "succeeded" },
      { name: "staging", status: "succeeded" },
      { name: "production", status: "rejected" },
    ]);
    expect(job(t, "production.deploy")).toEqual({ key: "production.deploy", status: "skipped", files: {}, steps: [], artifacts: {} });
    expect(job(t, "staging.deploy").status).toBe("succeeded");
    expect(t.outcome).toBe("failed");
  });

  it("a disabled transition holds its stage and the stages after it; the outcome stays succeeded", async () => {
    const ir = irOfText(`pipeglot: 1
name: hold
source: { repository: acme/hold, branch: main }
stages:
  - name: one
    jobs: [{ name: a, steps: [{ run: "true" }] }]
  - name: frozen
    transition: { enabled: false }
    jobs: [{ name: b, steps: [{ run: "true" }] }]
  - name: after
    needs: [frozen]
    condition: always
    jobs: [{ name: c, steps: [{ run: "true" }] }]
  - name: aside
    needs: [one]
    jobs: [{ name: d, steps: [{ run: "true" }] }]
`);
    const t = await run(ir);
    expect(t.stages).toEqual([
      { name: "one", status: "succeeded" },
      { name: "frozen", status: "held" },
      { name: "after", status: "skipped" },
      { name: "aside", status: "succeeded" },
    ]);
    expect(t.jobs.map((j) => [j.key, j.status])).toEqual([
      ["after.c", "skipped"],
      ["aside.d", "succeeded"],
      ["frozen.b", "skipped"],
      ["one.a", "succeeded"],
    ]);
    expect(t.outcome).toBe("succeeded");
  });
});

describe("neutral: node-webapp in record mode", async () => {
  const ir = await irOf(join(REPO, "examples/node-webapp/pipeglot.yaml"));
  const t = await run(ir, { record: true });
  const cmds = (key: string, id: string) => job(t, key).steps.find((s) => s.id === id)?.commands;

  it("records npm with the job's env", () => {
    expect(cmds("build.test", "install")).toEqual([{ argv: ["npm", "ci"], cwd: ".", env: { NPM_TOKEN: "fake-NPM_TOKEN" } }]);
    expect(cmds("build.test", "unit")).toEqual([{ argv: ["npm", "test", "--", "--reporter=junit"], cwd: ".", env: { NPM_TOKEN: "fake-NPM_TOKEN" } }]);
    expect(cmds("build.lint", "step-1")).toEqual([
      { argv: ["npm", "ci"], cwd: ".", env: {} },
      { argv: ["npm", "run", "lint"], cwd: ".", env: {} },
    ]);
  });

  it("records the deploy script with the variable, the commit and the fake secret", () => {
    expect(cmds("staging.deploy", "upload")).toEqual([
      { argv: ["./scripts/deploy.sh", "staging", "eu-west-1", COMMIT], cwd: ".", env: { DEPLOY_KEY: "fake-DEPLOY_KEY" } },
    ]);
    expect(cmds("production.deploy", "upload")?.[0]?.argv).toEqual(["./scripts/deploy.sh", "production", "eu-west-1", COMMIT]);
  });

  it("has every job, all succeeded, one attempt per step", () => {
    expect(t.jobs.map((j) => j.key)).toEqual(["build.bundle", "build.lint", "build.test", "production.deploy", "staging.deploy"]);
    expect(t.jobs.every((j) => j.status === "succeeded" && j.steps.every((s) => s.attempts === 1))).toBe(true);
    expect(t.outcome).toBe("succeeded");
  });
});

describe("neutral: references are data", () => {
  const hostile = "a b; touch PWNED $(touch PWNED2)";
  const ir = irOfText(`pipeglot: 1
name: hostile
source: { repository: acme/hostile, branch: main }
variables:
  X: { default: "x", overridable: true }
stages:
  - name: s
    jobs:
      - name: j
        steps:
          - name: bare
            run: deploy \${{ vars.X }}
          - name: quoted
            run: deploy "\${{ vars.X }}" "at \${{ git.branch }}"
          - name: single
            run: deploy '\${{ vars.X }}'
          - name: escaped
            run: deploy '$\${{ vars.X }}'
`);

  for (const record of [true, false]) {
    it(`reach argv as words or one word, never as code (${record ? "record" : "execute"} mode)`, async () => {
      const scratch = mkdtempSync(join(tmpdir(), "pg-neutral-test-"));
      scratches.push(scratch);
      const t = await run(ir, { record, scratch, inputs: defaultInputs(ir, { variables: { X: hostile } }) });
      const found = (dir: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? found(join(dir, e.name)) : /PWNED/.test(e.name) ? [e.name] : []));
      expect(found(scratch)).toEqual([]);
      expect(existsSync(join(REPO, "PWNED"))).toBe(false);
      if (!record) return;
      const argv = (id: string) =>
        job(t, "s.j")
          .steps.find((s) => s.id === id)
          ?.commands.map((c) => c.argv);
      expect(argv("bare")).toEqual([["deploy", "a", "b;", "touch", "PWNED", "$(touch", "PWNED2)"]]);
      expect(argv("quoted")).toEqual([["deploy", hostile, "at main"]]);
      expect(argv("single")).toEqual([["deploy", "${PIPEGLOT_REF_1}"]]);
      expect(argv("escaped")?.[0]?.[1]).toBe("${{ vars.X }}");
    });
  }
});

describe("neutral: timeouts, job retries, failure conditions", () => {
  it("kills a step at its timeout (124), re-runs a failed job in a fresh workspace, runs failure/always steps after a failure", async () => {
    const ir = irOfText(`pipeglot: 1
name: timing
source: { repository: acme/timing, branch: main }
stages:
  - name: s
    jobs:
      - name: slow
        steps:
          - name: sleepy
            run: sleep 5
            timeout: 1s
          - name: next
            run: "true"
          - name: rescue
            run: "true"
            condition: failure
          - name: finally
            run: exit 7
            condition: always
      - name: again
        retries: 1
        steps:
          - name: count
            run: |
              test ! -e leftover && touch leftover
              n=$(cat "$TMPDIR/again" 2>/dev/null || echo 0); echo $((n + 1)) > "$TMPDIR/again"
              test "$n" -ge 1
`);
    const t = await run(ir);
    expect(steps(job(t, "s.slow"))).toEqual({ sleepy: ["failed", 124, 1], next: ["skipped", 0, 0], rescue: ["succeeded", 0, 1], finally: ["failed", 7, 1] });
    expect(job(t, "s.slow").status).toBe("failed");
    expect(steps(job(t, "s.again"))).toEqual({ count: ["succeeded", 0, 1] });
    expect(job(t, "s.again").status).toBe("succeeded");
    expect(t.stages).toEqual([{ name: "s", status: "failed" }]);
    expect(t.outcome).toBe("failed");
  });
});

describe("neutral: native steps and jobs are their provider's", () => {
  it("assumes they succeed (noted), and in record mode leaves what the job's artifacts name", async () => {
    const ir = irOfText(`pipeglot: 1
name: nat
source: { repository: acme/nat, branch: main }
stages:
  - name: build
    jobs:
      - name: make
        artifacts: { produce: [{ name: out, paths: ["dist/**"] }] }
        steps:
          - name: task
            native: { azure: { task: CMake@1, inputs: { cmakeArgs: ".." } } }
          - name: after
            run: echo done
      - name: other
        native: { azure: { template: jobs/other.yml } }
        steps: []
  - name: ship
    jobs:
      - name: use
        artifacts: { consume: [out] }
        steps: [{ run: ls dist }]
`);
    const t = await run(ir, { record: true });
    expect(t.outcome).toBe("succeeded");
    expect(steps(job(t, "build.make"))).toEqual({ task: ["succeeded", 0, 1], after: ["succeeded", 0, 1] });
    expect(job(t, "build.other").status).toBe("succeeded");
    expect(Object.keys(job(t, "ship.use").files)).toContain("dist/recorded");
    expect(t.notes).toContain("build.make/task: a native step is not run by the reference: assumed to succeed");
  });
});

describe("neutral: every example in record mode", () => {
  for (const ex of examples()) {
    it(`${ex.name}: runs, with every job key`, async () => {
      const ir = await irOf(ex.file);
      const t = await run(ir, { record: true });
      const keys = ir.stages.flatMap((s) =>
        s.jobs.flatMap((j) => {
          const m = Object.entries(j.matrix ?? {});
          if (m.length !== 1) return [`${s.name}.${j.name}`];
          return m[0]![1].map((v) => `${s.name}.${j.name}[${m[0]![0]}=${v}]`);
        }),
      );
      expect(t.jobs.map((j) => j.key).sort()).toEqual(keys.sort());
      expect(t.stages.map((s) => s.name)).toEqual(ir.stages.map((s) => s.name));
    });
  }
});
