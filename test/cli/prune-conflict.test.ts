/**
 * apply --prune with an out-of-band change between plan and apply (issue 13, "Prune and
 * ordering"), through the built CLI against the emulators with latency and --parallelism 1.
 *
 * A job (AWS) or a stage (Cloud Build) leaves the definition: its CodeBuild project (its gated
 * trigger) becomes a prune candidate, and the pipeline (the triggers that started the gated one)
 * must be updated to stop using it. When the plan is printed, someone else updates the live
 * pipeline (trigger) through the API. Apply must then report that update as a conflict, skip the
 * delete (saying why), exit 1 (README, CLI table: apply exits 0 only when every change was done),
 * and leave the resource that the live pipeline still uses in place. The next plan still shows
 * the update and the delete, and an apply from a fresh plan converges.
 *
 * The out-of-band write is a single request sent as soon as the plan is printed; the conflicting
 * write is preceded by two other updates (two guard reads and two writes, each 250 ms late), so
 * the out-of-band write lands before the CLI's guard read of that resource.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { BatchGetProjectsCommand, CodeBuildClient } from "@aws-sdk/client-codebuild";
import { CodePipelineClient, GetPipelineCommand, UpdatePipelineCommand, type PipelineDeclaration } from "@aws-sdk/client-codepipeline";
import { startEmulators, type Emulators } from "@pipeglot/emulators";
import { REPO } from "../helpers/paths.js";

const BIN = join(REPO, "packages/cli/dist/bundle/pipeglot.js");
const FLAGSHIP = join(REPO, "examples/node-webapp/pipeglot.yaml");
const LATENCY_MS = 250;

interface Job {
  name: string;
  needs?: string[];
  steps: { run: string }[];
}
interface Definition {
  stages: { name: string; jobs: Job[] }[];
}

let emu: Emulators;
let dir: string;
beforeAll(async () => {
  emu = await startEmulators({ providers: ["aws", "gcp"] });
  dir = mkdtempSync(join(tmpdir(), "pipeglot-prune-conflict-"));
});
afterAll(async () => {
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  out: string;
  /** Whether the plan was printed (and `onPlan` ran), and what `onPlan` threw. */
  planned: boolean;
  onPlanError?: unknown;
}

/** Run the built CLI; `onPlan` runs once, as soon as the plan's summary line is printed. */
function cli(args: string[], onPlan?: () => Promise<void>): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...process.env, ...emu.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  const run: Run = { code: null, out: "", planned: false };
  let hook: Promise<void> = Promise.resolve();
  const onData = (d: Buffer) => {
    run.out += d;
    if (!run.planned && /Plan: \d+ to create/.test(run.out)) {
      run.planned = true;
      if (onPlan) hook = onPlan().catch((e: unknown) => void (run.onPlanError = e));
    }
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  return new Promise((resolve) =>
    child.on("close", (code) => {
      run.code = code;
      void hook.then(() => resolve(run));
    }),
  );
}

/** The flagship example, edited, written to the temporary folder. */
function edited(name: string, edit: (d: Definition) => void): string {
  const doc = parse(readFileSync(FLAGSHIP, "utf8")) as Definition;
  edit(doc);
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(doc));
  return file;
}

const job = (d: Definition, stage: string, name: string): Job => d.stages.find((s) => s.name === stage)!.jobs.find((j) => j.name === name)!;

/** The apply's result line of one resource (text format). */
const resultLine = (out: string, key: string): string =>
  out.split("\n").find((l) => /^\s+(done|unchanged|conflict|failed|skipped)\s/.test(l) && l.includes(` ${key}`)) ?? `(no result line for ${key})`;

async function applyFlagship(target: string): Promise<void> {
  emu.setFaults({ latencyMs: 0 });
  const r = await cli(["apply", FLAGSHIP, "--target", target, "--auto-approve"]);
  expect(r.code, r.out).toBe(0);
}

/** The apply under test: --prune, one write at a time, 250 ms per request, `outOfBand` when the plan is printed. */
async function pruneWithConflict(file: string, target: string, outOfBand: () => Promise<void>): Promise<Run> {
  emu.setFaults({ latencyMs: LATENCY_MS });
  try {
    const r = await cli(["apply", file, "--target", target, "--prune", "--auto-approve", "--parallelism", "1"], outOfBand);
    expect(r.planned, r.out).toBe(true);
    expect(r.onPlanError).toBeUndefined();
    return r;
  } finally {
    emu.setFaults({ latencyMs: 0 });
  }
}

describe("aws: a pipeline update refused as a conflict keeps the project it still names", () => {
  const LINT = "shop-web-build-lint";
  let file: string;
  let run: Run;
  const clients = () => {
    const config = {
      region: emu.env.AWS_REGION!,
      endpoint: emu.endpoints.aws!,
      credentials: { accessKeyId: emu.env.AWS_ACCESS_KEY_ID!, secretAccessKey: emu.env.AWS_SECRET_ACCESS_KEY! },
      maxAttempts: 1,
    };
    return { cp: new CodePipelineClient(config), cb: new CodeBuildClient(config) };
  };

  it("apply --prune: the project updates land, the pipeline update is a conflict, the delete is skipped (exit 1)", { timeout: 120_000 }, async () => {
    await applyFlagship("aws");
    // lint leaves the definition; test's and bundle's commands change, so the pipeline's write
    // (which depends on the projects) comes after two project updates.
    file = edited("aws", (d) => {
      const build = d.stages.find((s) => s.name === "build")!;
      build.jobs = build.jobs.filter((j) => j.name !== "lint");
      job(d, "build", "bundle").needs = ["test"];
      job(d, "build", "bundle").steps[0]!.run = "npm ci && npm run build -- --prod";
      job(d, "build", "test").steps[0]!.run = "npm ci --no-audit";
    });
    const { cp } = clients();
    const live = (await cp.send(new GetPipelineCommand({ name: "shop-web" }))).pipeline!;
    const theirs: PipelineDeclaration = { ...live, variables: [...(live.variables ?? []), { name: "HOTFIX", defaultValue: "1" }] };
    try {
      run = await pruneWithConflict(file, "aws", async () => void (await cp.send(new UpdatePipelineCommand({ pipeline: theirs }))));
    } finally {
      cp.destroy();
    }
    expect(run.out).toMatch(/Plan: 0 to create, 3 to update, 1 to delete/);
    expect(run.code, run.out).toBe(1);
    expect(resultLine(run.out, "codebuild.Project/shop-web-build-test")).toMatch(/^\s+done\s+update\s/);
    expect(resultLine(run.out, "codebuild.Project/shop-web-build-bundle")).toMatch(/^\s+done\s+update\s/);
    expect(resultLine(run.out, "codepipeline.Pipeline/shop-web")).toMatch(
      /^\s+conflict\s+update\s+codepipeline\.Pipeline\/shop-web: codepipeline\.Pipeline\/shop-web changed since the plan read it \(at version 2, the plan read 1\); nothing was written\. Run plan again\./,
    );
    expect(resultLine(run.out, `codebuild.Project/${LINT}`)).toMatch(
      /^\s+skipped\s+delete\s+codebuild\.Project\/shop-web-build-lint: not deleted: codepipeline\.Pipeline\/shop-web conflict, so something live may still use it/,
    );
    expect(run.out).toContain("Apply incomplete");
  });

  it("the live service still holds the project, and the live pipeline (someone else's version) still names it", async () => {
    const { cp, cb } = clients();
    try {
      const projects = (await cb.send(new BatchGetProjectsCommand({ names: [LINT] }))).projects ?? [];
      expect(projects.map((p) => p.name)).toEqual([LINT]);
      const live = (await cp.send(new GetPipelineCommand({ name: "shop-web" }))).pipeline!;
      expect(live.variables?.map((v) => v.name)).toContain("HOTFIX");
      const named = live.stages!.flatMap((s) => s.actions ?? []).map((a) => a.configuration?.ProjectName);
      expect(named).toContain(LINT);
    } finally {
      cp.destroy();
      cb.destroy();
    }
  });

  it("plan --prune still shows the pipeline update and the delete (exit 2); apply from a fresh plan converges", async () => {
    const p = await cli(["plan", file, "--target", "aws", "--prune", "--detailed-exitcode"]);
    expect(p.code, p.out).toBe(2);
    expect(p.out).toMatch(/Plan: 0 to create, 1 to update, 1 to delete/);
    expect(p.out).toMatch(/^\s+~ update\s+codepipeline\.Pipeline\/shop-web\s/m);
    expect(p.out).toMatch(/^\s+- delete\s+codebuild\.Project\/shop-web-build-lint\s/m);
    const a = await cli(["apply", file, "--target", "aws", "--prune", "--auto-approve"]);
    expect(a.code, a.out).toBe(0);
    expect(resultLine(a.out, `codebuild.Project/${LINT}`)).toMatch(/^\s+done\s+delete\s/);
    expect((await cli(["plan", file, "--target", "aws", "--prune", "--detailed-exitcode"])).code).toBe(0);
  });
});

describe("gcp: a trigger update refused as a conflict keeps the gated trigger it still starts", () => {
  const PRODUCTION = "shop-web-production";
  const triggers = () => `${emu.endpoints.gcp}/v1/projects/acme-ci/locations/europe-west1/triggers`;
  let file: string;
  let run: Run;

  it("apply --prune: two trigger updates land, the push trigger's is a conflict, the delete is skipped (exit 1)", { timeout: 120_000 }, async () => {
    await applyFlagship("gcp");
    // The production stage (behind an approval) leaves the definition: its gated trigger becomes
    // a prune candidate, and the manual, pr and push triggers stop starting it.
    file = edited("gcp", (d) => {
      d.stages = d.stages.filter((s) => s.name !== "production");
    });
    const theirs = async () => {
      const r = await fetch(`${triggers()}/shop-web-push?updateMask=description`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ description: "edited in the console" }),
      });
      if (!r.ok) throw new Error(`out-of-band PATCH: ${r.status} ${await r.text()}`);
    };
    run = await pruneWithConflict(file, "gcp", theirs);
    expect(run.out).toMatch(/Plan: 0 to create, 3 to update, 1 to delete/);
    expect(run.code, run.out).toBe(1);
    expect(resultLine(run.out, "cloudbuild.BuildTrigger/shop-web-manual")).toMatch(/^\s+done\s+update\s/);
    expect(resultLine(run.out, "cloudbuild.BuildTrigger/shop-web-pr")).toMatch(/^\s+done\s+update\s/);
    expect(resultLine(run.out, "cloudbuild.BuildTrigger/shop-web-push")).toMatch(
      /^\s+conflict\s+update\s+cloudbuild\.BuildTrigger\/shop-web-push: cloudbuild\.BuildTrigger\/shop-web-push changed since the plan read it \(at version sha256:[0-9a-f]+, the plan read sha256:[0-9a-f]+\); nothing was written\. Run plan again\./,
    );
    expect(resultLine(run.out, `cloudbuild.BuildTrigger/${PRODUCTION}`)).toMatch(
      /^\s+skipped\s+delete\s+cloudbuild\.BuildTrigger\/shop-web-production: not deleted: cloudbuild\.BuildTrigger\/shop-web-push conflict, so something live may still use it/,
    );
    expect(run.out).toContain("Apply incomplete");
  });

  it("the live service still holds the gated trigger, and the push trigger (someone else's edit) still starts it", async () => {
    const gated = await fetch(`${triggers()}/${PRODUCTION}`);
    expect(gated.status).toBe(200);
    const push = (await (await fetch(`${triggers()}/shop-web-push`)).json()) as { description?: string; build: { steps: { args?: string[] }[] } };
    expect(push.description).toBe("edited in the console");
    expect(push.build.steps.some((s) => s.args?.join(" ").includes(`gcloud builds triggers run ${PRODUCTION} `))).toBe(true);
  });

  it("plan --prune still shows the push update and the delete (exit 2); apply from a fresh plan converges", async () => {
    const p = await cli(["plan", file, "--target", "gcp", "--prune", "--detailed-exitcode"]);
    expect(p.code, p.out).toBe(2);
    expect(p.out).toMatch(/Plan: 0 to create, 1 to update, 1 to delete/);
    expect(p.out).toMatch(/^\s+~ update\s+cloudbuild\.BuildTrigger\/shop-web-push\s/m);
    expect(p.out).toMatch(/^\s+- delete\s+cloudbuild\.BuildTrigger\/shop-web-production\s/m);
    const a = await cli(["apply", file, "--target", "gcp", "--prune", "--auto-approve"]);
    expect(a.code, a.out).toBe(0);
    expect(resultLine(a.out, `cloudbuild.BuildTrigger/${PRODUCTION}`)).toMatch(/^\s+done\s+delete\s/);
    expect((await fetch(`${triggers()}/${PRODUCTION}`)).status).toBe(404);
  });
});
