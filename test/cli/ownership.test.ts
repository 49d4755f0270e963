/**
 * Ownership is per pipeline (issue 13), through the built CLI against the emulators: pipeline
 * `shop` (stages web-build and web-push, job x) and pipeline `shop-web` (stage build, job x) fold
 * to the same CodeBuild project (`shop-web-build-x`) and the same Cloud Build trigger
 * (`shop-web-push`). The second pipeline's plan is blocked naming both pipelines, its apply writes
 * nothing, and its prune deletes nothing of the first's.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulators, type Emulators } from "@pipeglot/emulators";
import { runCli } from "../helpers/cli.js";

let emu: Emulators;
let env: NodeJS.ProcessEnv;
let dir: string;

const run = (args: string[]) => runCli(args, { env });

const job = (stage: string, name: string, extra: string[] = []) => [
  `  - name: ${stage}`,
  ...extra,
  "    jobs:",
  "      - name: x",
  "        image: node:20",
  "        steps:",
  `          - run: echo ${name} ${stage}`,
];
function definition(name: string, stages: string[][]): string {
  const file = join(dir, `${name}.yaml`);
  const text = [
    "pipeglot: 1",
    `name: ${name}`,
    "source:",
    `  repository: acme/${name}`,
    "  branch: main",
    "triggers:",
    "  push:",
    "    branches: [main]",
    "targets:",
    "  gcp:",
    "    project: acme-ci",
    "stages:",
    ...stages.flat(),
  ].join("\n");
  writeFileSync(file, text + "\n");
  return file;
}

beforeAll(async () => {
  emu = await startEmulators({ providers: ["aws", "gcp"] });
  env = { ...process.env, ...emu.env, NO_COLOR: "1" };
  dir = mkdtempSync(join(tmpdir(), "pipeglot-ownership-"));
});
afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

const buildspec = () =>
  (emu.aws.state().projects.find((p) => (p as { name: string }).name === "shop-web-build-x") as { source: { buildspec: string } }).source.buildspec;
const trigger = () => emu.gcp!.state().find((s) => s.trigger.name === "shop-web-push")?.trigger;

describe.each([
  ["aws", "codebuild.Project/shop-web-build-x", () => buildspec()],
  ["gcp", "cloudbuild.BuildTrigger/shop-web-push", () => JSON.stringify(trigger())],
] as const)("pipeglot plan/apply --target %s: two pipelines whose names collide", (target, key, live) => {
  let shopWeb: string;
  let shop: string;
  let before: string;
  it("the first pipeline applies", async () => {
    shopWeb = definition("shop-web", [job("build", "shop-web")]);
    shop = definition("shop", [job("web-build", "shop"), job("web-push", "shop", ["    approval:", "      approvers: [release-managers]"])]);
    const r = await run(["apply", shopWeb, "--target", target, "--auto-approve"]);
    expect(r.code, r.out).toBe(0);
    before = live();
    expect(before).toContain("shop-web");
  });
  it("the second's plan is blocked, naming both pipelines (exit 1)", async () => {
    const r = await run(["plan", shop, "--target", target]);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain(`blocked ${key}: ${key} belongs to pipeline "shop-web", not to pipeline "shop"`);
  });
  it("the second's apply writes nothing (exit 1), and the first's resource is unchanged", async () => {
    const r = await run(["apply", shop, "--target", target, "--auto-approve"]);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain("nothing was applied");
    expect(live()).toBe(before);
  });
  it("the second's prune deletes nothing of the first's", async () => {
    const apart = definition("shop", [job("other", "shop")]);
    const r = await run(["apply", apart, "--target", target, "--auto-approve", "--prune"]);
    expect(r.code, r.out).toBe(0);
    expect(live()).toBe(before);
    const again = await run(["plan", shopWeb, "--target", target, "--detailed-exitcode"]);
    expect(again.code, again.out).toBe(0);
  });
});
