/**
 * plan --out PLANFILE / apply PLANFILE through the built CLI against the Cloud Build emulator:
 * the saved plan applies; a plan made stale by an edit of the definition, or by the live pipeline
 * moving, is refused (exit 1, "stale") and writes nothing; the file holds no credential and no
 * resource body; plan --format json matches the documented schema (docs/schemas/plan.v1.json)
 * and the file its own (planfile.v1.json); --format markdown is a pull-request comment.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulators, type Emulators } from "@pipeglot/emulators";
import { REPO } from "../helpers/paths.js";
import { runCli } from "../helpers/cli.js";

const WORK = mkdtempSync(join(tmpdir(), "pipeglot-saved-plan-"));
const DEF = join(WORK, "pipeglot.yaml");
const SECRET = "tok-SAVED-PLAN-DO-NOT-WRITE-77b1";
const OLD_RUN = "run: npm ci && npm run lint";
/** A command text of the definition: it is in the resource bodies, so it must not be in the plan file. */
const BODY_TEXT = "npm ci && npm run lint";

let emu: Emulators;
let env: NodeJS.ProcessEnv;
const run = (args: string[]) => runCli(args, { env, cwd: WORK });
const schema = (name: string) =>
  new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(JSON.parse(readFileSync(join(REPO, "docs/schemas", name), "utf8")));

beforeAll(async () => {
  copyFileSync(join(REPO, "examples/node-webapp/pipeglot.yaml"), DEF);
  emu = await startEmulators({ providers: ["gcp"] });
  env = { ...process.env, ...emu.env, NO_COLOR: "1", GOOGLE_OAUTH_ACCESS_TOKEN: SECRET, AZURE_DEVOPS_TOKEN: SECRET, AWS_SECRET_ACCESS_KEY: SECRET };
});
afterAll(async () => {
  await emu?.close();
  rmSync(WORK, { recursive: true, force: true });
});

describe("plan --out and apply PLANFILE (gcp emulator)", () => {
  it("plan --out writes a plan file with no credential and no resource body, matching planfile.v1.json", async () => {
    const r = await run(["plan", "pipeglot.yaml", "--target", "gcp", "--out", "first.plan"]);
    expect(r.code, r.out).toBe(0);
    expect(r.stderr).toContain("Saved the plan to first.plan");
    const text = readFileSync(join(WORK, "first.plan"), "utf8");
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(BODY_TEXT);
    const file = JSON.parse(text);
    const check = schema("planfile.v1.json");
    expect(check(file), JSON.stringify(check.errors)).toBe(true);
    expect(file.definition.path).toBe("pipeglot.yaml");
    expect(file.plans[0].provider).toBe("gcp");
    expect(file.plans[0].changes.some((c: { action: string }) => c.action === "create")).toBe(true);
  });

  it("apply PLANFILE applies it without asking (exit 0), and the live pipeline is then in sync", async () => {
    const r = await run(["apply", "first.plan"]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("Apply complete.");
    const again = await run(["plan", "pipeglot.yaml", "--target", "gcp", "--detailed-exitcode"]);
    expect(again.code, again.out).toBe(0);
  });

  it("the same plan applied again is stale: the resources it would create now exist (exit 1, nothing written)", async () => {
    const r = await run(["apply", "first.plan"]);
    expect(r.code, r.out).toBe(1);
    expect(r.stderr).toMatch(/the plan first\.plan is stale/);
    expect(r.stderr).toMatch(/changed since the plan/);
    expect(r.out).not.toContain("Apply complete.");
    expect(r.out).not.toMatch(/^\s+at /m);
  });

  it("an edit of the definition after plan --out makes the plan stale (exit 1)", async () => {
    const before = readFileSync(DEF, "utf8");
    const p = await run(["plan", "pipeglot.yaml", "--target", "gcp", "--out", "edit.plan"]);
    expect(p.code, p.out).toBe(0);
    writeFileSync(DEF, before.replace(OLD_RUN, `${OLD_RUN} -- --quiet`));
    try {
      const r = await run(["apply", "edit.plan"]);
      expect(r.code, r.out).toBe(1);
      expect(r.stderr).toContain("pipeglot: the plan edit.plan is stale: pipeglot.yaml changed since the plan was made; run plan again");
    } finally {
      writeFileSync(DEF, before);
    }
  });

  it("the live pipeline moving after plan --out makes the plan stale, naming the resource (exit 1)", async () => {
    const before = readFileSync(DEF, "utf8");
    const edited = before.replace(OLD_RUN, `${OLD_RUN} -- --max-warnings 0`);
    writeFileSync(DEF, edited);
    const p = await run(["plan", "pipeglot.yaml", "--target", "gcp", "--out", "moved.plan", "--detailed-exitcode"]);
    expect(p.code, p.out).toBe(2);
    // Someone applies the same definition first: the live versions the plan read are gone.
    const other = await run(["apply", "pipeglot.yaml", "--target", "gcp", "--auto-approve"]);
    expect(other.code, other.out).toBe(0);
    const r = await run(["apply", "moved.plan"]);
    expect(r.code, r.out).toBe(1);
    expect(r.stderr).toMatch(/gcp: \S+\/\S+ changed since the plan/);
    expect(r.stderr).toContain("nothing was applied; run plan again");
  });

  it("apply PLANFILE with --target is a usage error (exit 2)", async () => {
    const r = await run(["apply", "moved.plan", "--target", "gcp"]);
    expect(r.code, r.out).toBe(2);
    expect(r.stderr).toContain("drop --target");
  });

  it("a plan file of another format version is refused with one line (exit 1)", async () => {
    writeFileSync(join(WORK, "future.plan"), JSON.stringify({ kind: "pipeglot-plan", formatVersion: 99 }));
    const r = await run(["apply", "future.plan"]);
    expect(r.code, r.out).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^pipeglot: future\.plan is not a usable pipeglot plan file: formatVersion 99/)]);
  });
});

describe("plan --format json and markdown (gcp emulator)", () => {
  let json: { formatVersion: number; summary: Record<string, number | boolean>; plans: { changes: { action: string }[]; summary: Record<string, number> }[] };
  beforeAll(async () => {
    const text = readFileSync(DEF, "utf8");
    writeFileSync(DEF, text.replace(OLD_RUN, `${OLD_RUN} -- --fix`));
  });

  it("json: formatVersion 1, summary counts, valid against docs/schemas/plan.v1.json", async () => {
    const r = await run(["plan", "pipeglot.yaml", "--target", "gcp", "--format", "json", "--detailed-exitcode"]);
    expect(r.code, r.out).toBe(2);
    json = JSON.parse(r.stdout);
    const check = schema("plan.v1.json");
    expect(check(json), JSON.stringify(check.errors)).toBe(true);
    expect(json.formatVersion).toBe(1);
    // One step's command changed: the build config is updated, nothing is created or deleted.
    expect(json.summary).toMatchObject({ create: 0, delete: 0, problems: 0, changed: true });
    expect(json.summary.update).toBeGreaterThanOrEqual(1);
    expect(json.plans[0]!.summary.update).toBe(json.plans[0]!.changes.filter((c) => c.action === "update").length);
    expect(r.out).not.toContain(SECRET);
  });

  it("the schema rejects what it should: a missing formatVersion, an unknown action", () => {
    const check = schema("plan.v1.json");
    const { formatVersion: _dropped, ...noVersion } = json;
    expect(check(noVersion)).toBe(false);
    const badAction = structuredClone(json);
    badAction.plans[0]!.changes[0]!.action = "replace";
    expect(check(badAction)).toBe(false);
  });

  it("markdown: a summary table and each change in a <details> block", async () => {
    const r = await run(["plan", "pipeglot.yaml", "--target", "gcp", "--format", "markdown"]);
    expect(r.code, r.out).toBe(0);
    expect(r.stdout).toMatch(/^## pipeglot plan\n/);
    expect(r.stdout).toContain("| Provider | Pipeline | Create | Update | Delete | Unchanged | Blocked |");
    expect(r.stdout).toMatch(/\| gcp \| shop-web \| 0 \| [1-9]\d* \| 0 \| \d+ \| 0 \|/);
    expect(r.stdout).toMatch(/<details><summary>🔄 update <code>[^<]+<\/code>: \d+ differences?(, and pipeglot's bookkeeping tags)?<\/summary>/);
    expect(r.stdout).toContain("--fix");
    expect((r.stdout.match(/<details>/g) ?? []).length).toBe((r.stdout.match(/<\/details>/g) ?? []).length);
    expect(r.out).not.toContain(SECRET);
  });
});
