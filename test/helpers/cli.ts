/** The built CLI, run as a user runs it: a child process, its exit code and what it printed. */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { REPO } from "./paths.js";

export const BIN = join(REPO, "packages/cli/dist/bundle/pipeglot.js");

export interface CliResult {
  code: number | null;
  /** stdout and stderr, interleaved as printed. */
  out: string;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
}

/** Run `pipeglot ARGS` (async, so emulators in this process keep answering). */
export function runCli(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? REPO, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => ((out += d), (stdout += d)));
    child.stderr.on("data", (d) => ((out += d), (stderr += d)));
    child.on("close", (code) => resolve({ code, out, stdout, stderr, ms: Date.now() - t0 }));
  });
}
