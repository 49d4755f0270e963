/**
 * docs/release-day.md, run as written: every `pipeglot … # exit N` line of its sh blocks, through
 * the built CLI, against `pipeglot emulate` started as the page starts it (--step-ms, --fail-step),
 * on every cloud — `--target aws` replaced by the
 * cloud, `--interval 0.2` added to `status --watch` so that the test waits less. Each exit code
 * must be the one the page writes after the command; no emulator credential is printed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ProviderId } from "@pipeglot/schema";
import { BIN, runCli } from "../helpers/cli.js";
import { REPO } from "../helpers/paths.js";

interface Step {
  args: string[];
  exit: number;
}
interface Phase {
  emulate: string[];
  steps: Step[];
}

/** Words of a command line: "quoted text" stays one word. */
const words = (line: string): string[] => [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);

/** The page's phases: each `pipeglot emulate` line starts one; `pipeglot … # exit N` lines are its steps. */
function phases(page: string): Phase[] {
  const out: Phase[] = [];
  for (const block of page.matchAll(/```sh\n([\s\S]*?)```/g))
    for (const raw of block[1]!.split("\n")) {
      const line = raw.replace(/^kill %1; /, "");
      const emulate = /^pipeglot emulate (.*?)\s*&$/.exec(line);
      if (emulate) out.push({ emulate: words(emulate[1]!), steps: [] });
      const step = /^pipeglot (.*?)\s+# exit (\d+)$/.exec(line);
      if (step) out.at(-1)!.steps.push({ args: words(step[1]!), exit: Number(step[2]) });
    }
  return out;
}

/** What each cloud needs before the walkthrough (docs/release-day.md's table says the same). */
const PREP: Partial<Record<ProviderId, { edit?: (yaml: string) => string; applyFlags?: string[] }>> = {
  // Azure: approve/reject decide an environment's Approval check (not the default ManualValidation
  // job); its approver release-managers resolves to the group `pipeglot emulate` seeds.
  azure: {
    edit: (yaml) => replaced(yaml, "    project: shop\n", "    project: shop\n    approvalMode: environment\n"),
  },
};

/** `text` with `from` replaced, which must be there (the example changed otherwise: fix the page and this). */
function replaced(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`examples/node-webapp/pipeglot.yaml no longer holds ${JSON.stringify(from)}: update docs/release-day.md and PREP`);
  return text.replace(from, to);
}

const SECRETS = ["pipeglot-emulator-secret", "pipeglot-emulator-token"];

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const c of children) c.kill("SIGTERM");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** `pipeglot emulate ARGS --providers CLOUD` in the background; the environment its env file exports. */
async function emulate(dir: string, args: string[], cloud: ProviderId): Promise<{ env: NodeJS.ProcessEnv; child: ChildProcess }> {
  const envFile = join(dir, "emu.env");
  rmSync(envFile, { force: true });
  const child = spawn(process.execPath, [BIN, "emulate", ...args, "--providers", cloud], { cwd: dir, stdio: "ignore" });
  children.push(child);
  for (let i = 0; i < 300 && !existsSync(envFile); i++) await new Promise((r) => setTimeout(r, 100));
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const key of ["AWS_PROFILE", "OCI_CLI_PROFILE", "AWS_DEFAULT_PROFILE"]) delete env[key];
  for (const m of readFileSync(envFile, "utf8").matchAll(/^export ([A-Z_0-9]+)=(.*)$/gm)) env[m[1]!] = m[2]!;
  return { env, child };
}

const page = readFileSync(join(REPO, "docs/release-day.md"), "utf8");
const walk = phases(page);

describe("docs/release-day.md through the built CLI", () => {
  it("has the walkthrough's steps", () => {
    expect(walk.map((p) => p.steps.length)).toEqual([12, 3]);
    expect(walk[1]!.emulate).toContain("--fail-step");
  });

  it.each(["aws", "azure", "gcp", "oci"] as const)(
    "%s: every step exits as the page says",
    async (cloud) => {
      const prep = PREP[cloud] ?? {};
      const printed: string[] = [];
      for (const phase of walk) {
        const dir = mkdtempSync(join(tmpdir(), `release-day-${cloud}-`));
        dirs.push(dir);
        const yaml = readFileSync(join(REPO, "examples/node-webapp/pipeglot.yaml"), "utf8");
        writeFileSync(join(dir, "pipeglot.yaml"), prep.edit ? prep.edit(yaml) : yaml);
        const { env, child } = await emulate(dir, phase.emulate, cloud);
        for (const step of phase.steps) {
          const args = step.args.map((a) => (a === "aws" ? cloud : a));
          if (args[0] === "apply") args.push(...(prep.applyFlags ?? []));
          if (args.includes("--watch")) args.push("--interval", "0.2");
          const r = await runCli(args, { cwd: dir, env });
          printed.push(r.out);
          expect(r.code, `pipeglot ${args.join(" ")}\n${r.out}`).toBe(step.exit);
        }
        child.kill("SIGTERM");
      }
      for (const s of SECRETS) expect(printed.join("\n")).not.toContain(s);
    },
    300_000,
  );
});
