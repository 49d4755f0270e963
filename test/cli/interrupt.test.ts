/**
 * Ctrl-C during apply (issue 13), through the built CLI against the Cloud Build emulator with
 * latency: the writes in flight finish, no new one starts, every resource is reported (done or
 * skipped: interrupted), and the exit code is 130. What the report says was done is what exists.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulators, type Emulators } from "@pipeglot/emulators";
import { REPO } from "../helpers/paths.js";

const BIN = join(REPO, "packages/cli/dist/bundle/pipeglot.js");
const FLAGSHIP = join(REPO, "examples/node-webapp/pipeglot.yaml");

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators({ providers: ["gcp"], latencyMs: 250 });
});
afterAll(() => emu?.close());

describe("apply, interrupted", () => {
  it("finishes what is in flight, starts nothing new, reports every resource, exits 130", async () => {
    const child = spawn(process.execPath, [BIN, "apply", FLAGSHIP, "--target", "gcp", "--auto-approve", "--parallelism", "1"], {
      cwd: REPO,
      env: { ...process.env, ...emu.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let sent = false;
    const onData = (d: Buffer) => {
      out += d;
      // The plan is printed before the first write: interrupt during the writes.
      if (!sent && /Plan: \d+ to create/.test(out)) {
        sent = true;
        setTimeout(() => child.kill("SIGINT"), 400);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code, out).toBe(130);
    expect(out).toContain("Interrupted: waiting for the writes in flight");
    const done = [...out.matchAll(/^\s+done\s+create\s+(\S+)/gm)].map((m) => m[1]);
    const skipped = [...out.matchAll(/^\s+skipped\s+create\s+(\S+): not written: apply was interrupted/gm)].map((m) => m[1]);
    expect(done.length).toBeGreaterThan(0);
    expect(skipped.length).toBeGreaterThan(0);
    // What the report says exists is exactly what the service holds.
    const live = (await fetch(`${emu.endpoints.gcp}/v1/projects/${"acme-ci"}/locations/europe-west1/triggers`).then((r) => r.json())) as {
      triggers?: { name: string }[];
    };
    expect((live.triggers ?? []).length).toBe(done.length);
  });
});
