/**
 * A scratch folder that plays a CI machine for the CI recipe tests: the built CLI on PATH as
 * `pipeglot`, a fake `npm` that records its arguments (the install step), the flagship example as
 * ./pipeglot.yaml, and the Cloud Build emulator. Call in a test file's top level: it registers its
 * own beforeAll/afterAll.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { startEmulators, type Emulators } from "@pipeglot/emulators";
import { REPO } from "./paths.js";
import { BIN } from "./cli.js";

export interface CiSandbox {
  /** The job's working folder. */
  readonly work: string;
  /** Put first on PATH: `pipeglot` and the fake `npm`. */
  readonly binDir: string;
  /** What the fake npm was called with, a line per call. */
  readonly npmLog: string;
  /** The emulator (started before the tests). */
  readonly emu: Emulators;
}

export function ciSandbox(prefix: string): CiSandbox {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const binDir = join(work, ".bin");
  const npmLog = join(work, ".npm-calls");
  let emu: Emulators | undefined;
  beforeAll(async () => {
    mkdirSync(binDir);
    writeFileSync(join(binDir, "pipeglot"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    writeFileSync(join(binDir, "npm"), `#!/bin/sh\necho "$@" >> "${npmLog}"\n`);
    chmodSync(join(binDir, "pipeglot"), 0o755);
    chmodSync(join(binDir, "npm"), 0o755);
    copyFileSync(join(REPO, "examples/node-webapp/pipeglot.yaml"), join(work, "pipeglot.yaml"));
    emu = await startEmulators({ providers: ["gcp"] });
  });
  afterAll(async () => {
    await emu?.close();
    rmSync(work, { recursive: true, force: true });
  });
  return {
    work,
    binDir,
    npmLog,
    get emu() {
      if (!emu) throw new Error("the CI sandbox's emulator is not started yet (use it inside a test)");
      return emu;
    },
  };
}
