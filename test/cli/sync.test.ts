/**
 * plan / apply / pull through the built CLI, against the emulators (real SDK clients inside the
 * CLI, real wire protocol): exit codes of --detailed-exitcode, the no-op plan after apply, the
 * refusal to apply without --auto-approve off a terminal, and no credential in any output.
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulators, type Emulators } from "@pipeglot/emulators";
import { REPO } from "../helpers/paths.js";
import { BIN, runCli } from "../helpers/cli.js";

// A copy, in a folder of its own: apply writes the files the pipeline reads from the repository
// (azure-pipelines.yml) into the definition's repository, which must not be this one.
const WORK = mkdtempSync(join(tmpdir(), "pipeglot-cli-sync-"));
const FLAGSHIP = join(WORK, "pipeglot.yaml");
copyFileSync(join(REPO, "examples/node-webapp/pipeglot.yaml"), FLAGSHIP);
const SECRET = "tok-DO-NOT-PRINT-4f2a9c";

let emu: Emulators;
let env: NodeJS.ProcessEnv;

const run = (args: string[]) => runCli(args, { env });

beforeAll(async () => {
  emu = await startEmulators({ providers: ["aws", "gcp", "azure"] });
  emu.azure.addServiceEndpoint("shop", "github");
  env = {
    ...process.env,
    ...emu.env,
    NO_COLOR: "1",
    AWS_SECRET_ACCESS_KEY: SECRET,
    AZURE_DEVOPS_TOKEN: SECRET,
    GOOGLE_APPLICATION_CREDENTIALS: "/nonexistent/" + SECRET,
  };
});
afterAll(async () => {
  await emu?.close();
  rmSync(WORK, { recursive: true, force: true });
});

describe.each(["aws", "gcp", "azure"])("pipeglot plan/apply --target %s against the emulator", (target) => {
  const outputs: string[] = [];
  it("plan --detailed-exitcode exits 2 while resources are missing", async () => {
    const r = await run(["plan", FLAGSHIP, "--target", target, "--detailed-exitcode"]);
    outputs.push(r.out);
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(/Plan: \d+ to create, 0 to update, 0 to delete/);
  });
  it("apply refuses to run unattended without --auto-approve (exit 2)", async () => {
    const r = await run(["apply", FLAGSHIP, "--target", target]);
    outputs.push(r.out);
    expect(r.code).toBe(2);
    expect(r.out).toContain("--auto-approve");
  });
  it("apply --auto-approve creates everything (exit 0)", async () => {
    const r = await run(["apply", FLAGSHIP, "--target", target, "--auto-approve"]);
    outputs.push(r.out);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("Apply complete.");
  });
  it("then plan --detailed-exitcode exits 0: no perpetual diff", async () => {
    const r = await run(["plan", FLAGSHIP, "--target", target, "--detailed-exitcode", "--format", "json"]);
    outputs.push(r.out);
    expect(r.code, r.out).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.plans[0].changes.every((c: { action: string }) => c.action === "noop")).toBe(true);
  });
  it("no credential appears in any output", () => {
    expect(outputs.length).toBe(4);
    for (const o of outputs) expect(o).not.toContain(SECRET);
  });
});

describe("pipeglot pull", () => {
  it("reads the applied Cloud Build triggers back into a valid definition", async () => {
    const r = await run(["pull", "shop-web", "--target", "gcp", "--project", "acme-ci", "--region", "europe-west1"]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("name: shop-web");
    expect(r.out).toContain("approval:");
    expect(r.out).not.toContain(SECRET);
  });
});

describe("pipeglot emulate", () => {
  it("starts all four emulators, prints their endpoints as JSON, and stops on SIGINT", async () => {
    const child = spawn(process.execPath, [BIN, "emulate", "--format", "json"], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    const started = await new Promise<{ endpoints: Record<string, string>; env: Record<string, string> }>((resolve, reject) => {
      child.stdout.on("data", (d) => {
        text += d;
        try {
          resolve(JSON.parse(text));
        } catch {
          /* not complete yet */
        }
      });
      child.on("exit", () => reject(new Error(`exited early: ${text}`)));
    });
    expect(Object.keys(started.endpoints).sort()).toEqual(["aws", "azure", "gcp", "oci"]);
    for (const url of Object.values(started.endpoints)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    expect(started.env.PIPEGLOT_GCB_ENDPOINT).toBe(started.endpoints.gcp);
    const res = await fetch(`${started.endpoints.gcp}/v1/projects/p/locations/global/triggers`);
    expect(res.status).toBe(200);
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", (c) => resolve(c));
      child.kill("SIGINT");
    });
    expect(code).toBe(0);
  });
  it("rejects a rate outside 0..1 as a usage error", async () => {
    const r = await run(["emulate", "--throttle", "3"]);
    expect(r.code).toBe(2);
    expect(r.out).toContain("--throttle");
  });
});
