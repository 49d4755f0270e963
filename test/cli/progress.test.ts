/**
 * Progress of plan and apply through the built CLI, off a terminal (a pipe): one line per finished
 * resource and per retry on standard error, then a summary line; standard output is the plan
 * alone; nothing with --quiet or --format json. Against the Cloud Build emulator (four triggers
 * for the flagship), and against a throttling AWS emulator for the retry lines.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulators, type Emulators } from "@pipeglot/emulators";
import { REPO } from "../helpers/paths.js";
import { runCli } from "../helpers/cli.js";

const WORK = mkdtempSync(join(tmpdir(), "pipeglot-cli-progress-"));
const FLAGSHIP = join(WORK, "pipeglot.yaml");
copyFileSync(join(REPO, "examples/node-webapp/pipeglot.yaml"), FLAGSHIP);
/** The flagship's Cloud Build triggers (hand-written: one per way a run starts). */
const TRIGGERS = ["shop-web-manual", "shop-web-pr", "shop-web-production", "shop-web-push"];

let emu: Emulators;
let throttling: Emulators;
const envOf = (e: Emulators): NodeJS.ProcessEnv => {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|AZURE_|GOOGLE_|OCI_|PIPEGLOT_)/.test(k)));
  return { ...clean, ...e.env, NO_COLOR: "1" };
};

beforeAll(async () => {
  emu = await startEmulators({ providers: ["gcp"] });
  throttling = await startEmulators({ providers: ["aws"], throttleRate: 0.3, seed: 5 });
});
afterAll(async () => {
  await emu?.close();
  await throttling?.close();
  rmSync(WORK, { recursive: true, force: true });
});

describe("off a terminal", () => {
  it("plan: one line per resource read, then the summary; stdout is the plan alone", async () => {
    const r = await runCli(["plan", FLAGSHIP, "--target", "gcp"], { env: envOf(emu) });
    expect(r.code, r.out).toBe(0);
    expect(r.stderr.trim().split("\n")).toEqual([
      ...TRIGGERS.map((t) => `gcp: read cloudbuild.BuildTrigger/${t}: to create`),
      "gcp: read 4 resources: 4 to create",
    ]);
    expect(r.stdout.startsWith("gcp: shop-web\n")).toBe(true);
    expect(r.stdout).not.toContain("gcp: read");
  });

  it("--quiet and --format json: nothing on stderr", async () => {
    for (const extra of [["--quiet"], ["--format", "json"]]) {
      const r = await runCli(["plan", FLAGSHIP, "--target", "gcp", ...extra], { env: envOf(emu) });
      expect(r.code, r.out).toBe(0);
      expect(r.stderr).toBe("");
    }
  });

  it("apply: one line per resource written, then the summary", async () => {
    const r = await runCli(["apply", FLAGSHIP, "--target", "gcp", "--auto-approve"], { env: envOf(emu) });
    expect(r.code, r.out).toBe(0);
    const lines = r.stderr.trim().split("\n");
    const written = lines.filter((l) => l.startsWith("gcp: done "));
    // Written concurrently: in the order they finish.
    expect([...written].sort()).toEqual(TRIGGERS.map((t) => `gcp: done create cloudbuild.BuildTrigger/${t}`));
    expect(lines.at(-1)).toBe("gcp: applied 4 changes: 4 done");
    expect(lines).toHaveLength(4 + 1 + 4 + 1); // the plan's reads and summary, the writes and theirs
  });

  it("a throttled request is announced with its reason before it is retried", async () => {
    const r = await runCli(["apply", FLAGSHIP, "--target", "aws", "--auto-approve", "--retries", "10"], { env: envOf(throttling) });
    expect(r.code, r.out).toBe(0);
    const retries = r.stderr.split("\n").filter((l) => l.includes("retrying"));
    expect(retries.length, r.stderr).toBeGreaterThan(0);
    for (const l of retries) expect(l).toMatch(/^aws: (\S+: )?retrying in \d+\.\d s \(attempt ([2-9]|1[01]) of 11\): throttled \(\w+, HTTP 4\d\d\)$/);
  });
});
