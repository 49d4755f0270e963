/**
 * `pipeglot emulate` as a new user drives it, through the built CLI only (issue 14): started in
 * the background, its account is seeded so that every bundled example applies as it is on all
 * four clouds and plans clean right after; `--state FILE` keeps that across a restart; and every
 * mistake on its command line is a sentence and exit 2, never a stack trace or "internal error".
 */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO, examples } from "../helpers/paths.js";
import { BIN, runCli } from "../helpers/cli.js";

const CLOUDS = ["aws", "azure", "gcp", "oci"] as const;
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "pipeglot-emulate-test-"));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A clean environment: no cloud credentials or emulator variables of the machine running the tests. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: tmp(), NO_COLOR: "1" };
  return env;
}

const run = (args: string[], env: NodeJS.ProcessEnv, cwd = REPO) => runCli(args, { cwd, env });

interface Running {
  child: ChildProcess;
  env: NodeJS.ProcessEnv;
  out: () => string;
  stop(): Promise<number | null>;
}

/**
 * A copy of an example in a folder of its own, as the README has a new user do: what apply
 * writes beside a definition (files the pipeline reads from its repository) stays out of this one.
 */
function copyOf(file: string): string {
  const dir = tmp();
  copyFileSync(file, join(dir, "pipeglot.yaml"));
  return dir;
}

/** `pipeglot emulate --env-out F [extra] &`, then `. F`: what the README tells a new user to do. */
async function emulate(extra: string[] = []): Promise<Running> {
  const envOut = join(tmp(), "emu.env");
  const child = spawn(process.execPath, [BIN, "emulate", "--env-out", envOut, ...extra], { cwd: REPO, env: baseEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  for (let i = 0; !existsSync(envOut); i++) {
    if (child.exitCode !== null || i > 300) throw new Error(`emulate did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const env = baseEnv();
  for (const m of readFileSync(envOut, "utf8").matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]!] = m[2]!.replace(/^'(.*)'$/, "$1");
  const stop = async () => {
    child.kill("SIGINT");
    return exited;
  };
  return { child, env, out: () => out, stop };
}

/** The env file is written before the banner is printed: true once `text` has been printed (up to 10 s). */
async function printed(r: Running, text: string): Promise<boolean> {
  for (let i = 0; i < 200 && !r.out().includes(text); i++) await new Promise((res) => setTimeout(res, 50));
  return r.out().includes(text);
}

/**
 * node-webapp names its project, organization and OCIDs in `targets`; python-library names none
 * for Azure, Cloud Build and OCI, so it runs on what emulate seeds and exports alone. (Every
 * example was checked by hand the same way; two keep this test under a minute.)
 */
const SEEDED = examples().filter((e) => e.name === "node-webapp" || e.name === "python-library");

describe("pipeglot emulate: a fresh emulated account runs the bundled examples", () => {
  it("apply --auto-approve, then plan --detailed-exitcode exits 0, on every cloud", async () => {
    expect(SEEDED).toHaveLength(2);
    const emu = await emulate();
    try {
      expect(emu.env.AZURE_DEVOPS_PROJECT).toBeTruthy();
      expect(emu.env.OCI_CONFIG_FILE).toBeTruthy();
      expect(await printed(emu, "signatures checked")).toBe(true);
      const dirs = new Map(SEEDED.map((ex) => [ex.name, copyOf(ex.file)]));
      const results = await Promise.all(
        CLOUDS.map(async (cloud) => {
          const lines: string[] = [];
          for (const ex of SEEDED) {
            const dir = dirs.get(ex.name)!;
            const a = await run(["apply", "pipeglot.yaml", "--target", cloud, "--auto-approve"], emu.env, dir);
            const p = await run(["plan", "pipeglot.yaml", "--target", cloud, "--detailed-exitcode"], emu.env, dir);
            lines.push(`${cloud} ${ex.name} apply=${a.code} plan=${p.code}${a.code || p.code ? `\n${a.out}\n${p.out}` : ""}`);
          }
          return lines;
        }),
      );
      const all = results.flat();
      expect(
        all.filter((l) => !/apply=0 plan=0$/.test(l)),
        all.join("\n"),
      ).toEqual([]);
    } finally {
      expect(await emu.stop()).toBe(0);
    }
  }, 600_000);
});

describe("pipeglot emulate --state FILE", () => {
  it("keeps the emulated accounts across a restart: apply, stop, start again, plan exits 0", async () => {
    const state = join(tmp(), "emulated.json");
    const dir = copyOf(join(REPO, "examples/node-webapp/pipeglot.yaml"));
    const file = join(dir, "pipeglot.yaml");
    const first = await emulate(["--state", state]);
    for (const cloud of CLOUDS) {
      const a = await run(["apply", file, "--target", cloud, "--auto-approve"], first.env, dir);
      expect(a.code, a.out).toBe(0);
    }
    expect(await first.stop()).toBe(0);
    expect(JSON.parse(readFileSync(state, "utf8")).pipeglotEmulatorState).toBe(1);

    const second = await emulate(["--state", state]);
    try {
      expect(await printed(second, `state: ${state} (loaded`), second.out()).toBe(true);
      expect(second.env.OCI_CONFIG_FILE).toBe(first.env.OCI_CONFIG_FILE);
      for (const cloud of CLOUDS) {
        const p = await run(["plan", file, "--target", cloud, "--detailed-exitcode"], second.env, dir);
        expect(p.code, `${cloud}: ${p.out}`).toBe(0);
      }
    } finally {
      expect(await second.stop()).toBe(0);
    }
    // Without the state, the same plan sees nothing live: the file is what kept it.
    const fresh = await emulate(["--providers", "gcp"]);
    try {
      const p = await run(["plan", file, "--target", "gcp", "--detailed-exitcode"], fresh.env, dir);
      expect(p.code, p.out).toBe(2);
    } finally {
      await fresh.stop();
    }
  }, 300_000);
});

describe("pipeglot emulate: mistakes are sentences and exit 2", () => {
  let busy: Server | undefined;
  afterAll(() => busy?.close());

  const expectUsage = (r: { code: number | null; out: string }, message: RegExp) => {
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(message);
    expect(r.out).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
  };

  it("a port that is in use", async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy!.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as { port: number }).port;
    expectUsage(
      await run(["emulate", "--providers", "aws", "--port", String(port)], baseEnv()),
      new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use`),
    );
  });

  it("a base port whose offsets pass 65535, and one that is not a number", async () => {
    expectUsage(await run(["emulate", "--port", "65535"], baseEnv()), /--port 65535 would put the azure emulator on port 65536, past 65535: .*at most 65532/);
    expectUsage(await run(["emulate", "--port", "70000"], baseEnv()), /--port 70000 would put the aws emulator on port 70000/);
    expectUsage(await run(["emulate", "--port", "abc"], baseEnv()), /--port must be a port number \(0 = any free port\), got "abc"/);
    expectUsage(await run(["emulate", "--port", "-1"], baseEnv()), /--port must be a port number/);
  });

  it("a host that is not an address", async () => {
    expectUsage(await run(["emulate", "--host", "999.1.1.1"], baseEnv()), /--host 999\.1\.1\.1 is not a valid IPv4 address/);
    expectUsage(
      await run(["emulate", "--host", "192.0.2.1", "--providers", "gcp"], baseEnv()),
      /cannot listen on 192\.0\.2\.1(:\d+)?: this machine has no such address/,
    );
  });

  it("a state file that is not one, and options out of range", async () => {
    const bad = join(tmp(), "state.json");
    writeFileSync(bad, "{ not json");
    expectUsage(await run(["emulate", "--state", bad], baseEnv()), /--state .*state\.json cannot be read as an emulator state/);
    expectUsage(
      await run(["emulate", "--state", join(tmp(), "no/such/dir/state.json")], baseEnv()),
      /cannot write --state .*no\/such\/dir\/state\.json: the folder .* does not exist/,
    );
    expectUsage(await run(["emulate", "--providers", "aws,nope"], baseEnv()), /unknown provider "nope"/);
    expectUsage(await run(["emulate", "--botocore", tmp(), "--providers", "aws"], baseEnv()), /--botocore .* does not hold codepipeline/);
  });
});
