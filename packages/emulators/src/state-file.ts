/**
 * `pipeglot emulate --state FILE`: the emulated accounts survive a restart. The file is read at
 * start when it exists, and written atomically (a temporary file renamed over it) shortly after
 * each request that changed something, and at shutdown. Its format is internal (see
 * {@link EmulatorsState}): a file written by another version of pipeglot is refused.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { STATE_FORMAT, type Emulators, type EmulatorsState } from "./emulators.js";
import { isObject, type Json } from "./core/json.js";

/** A problem with the state file the user can fix (the CLI exits with 2). */
export class StateFileError extends Error {}

const SAVE_DELAY_MS = 50;

export class StateFile {
  /** What the file held at start (undefined: no file yet). */
  readonly loaded: EmulatorsState | undefined;
  private emulators: Emulators | undefined;
  private timer: NodeJS.Timeout | undefined;
  private written: string | undefined;

  constructor(readonly path: string) {
    this.loaded = existsSync(path) ? read(path) : undefined;
  }

  /** Start saving this running set of emulators; writes the file at once (so a bad path fails now). */
  attach(emulators: Emulators): void {
    this.emulators = emulators;
    this.save();
  }

  /** A request was answered: save soon (requests in a burst are saved once). */
  changed(): void {
    if (!this.emulators || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.save();
      } catch (e) {
        process.emitWarning(`pipeglot emulate: cannot save the state to ${this.path}: ${(e as Error).message}`);
      }
    }, SAVE_DELAY_MS);
    this.timer.unref();
  }

  /** Save now (at shutdown). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.save();
  }

  private save(): void {
    if (!this.emulators) return;
    const now = this.emulators.saveState();
    // Providers not started this time keep what the file had for them.
    const state: EmulatorsState = { pipeglotEmulatorState: STATE_FORMAT, providers: { ...this.loaded?.providers, ...now.providers } };
    const text = JSON.stringify(state) + "\n";
    if (text === this.written) return;
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, this.path);
    this.written = text;
  }
}

function read(path: string): EmulatorsState {
  let value: Json;
  try {
    value = JSON.parse(readFileSync(path, "utf8")) as Json;
  } catch (e) {
    throw new StateFileError(`--state ${path} cannot be read as an emulator state (${(e as Error).message}); move it away or name another file`);
  }
  if (!isObject(value) || !isObject(value.providers) || value.pipeglotEmulatorState !== STATE_FORMAT) {
    throw new StateFileError(
      `--state ${path} is not an emulator state of this version of pipeglot (format ${STATE_FORMAT}); move it away or name another file`,
    );
  }
  return { pipeglotEmulatorState: STATE_FORMAT, providers: value.providers };
}
