/**
 * Where a local run happens: a scratch folder with the repository snapshot, one fresh workspace
 * per job (or per build), a store for artifacts, and bash runs with a clean environment. Record
 * mode adds the recorder (recorder.ts). Every model and the neutral interpreter run steps through
 * this one class, so that they differ only in what their cloud does.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { shQuote } from "@pipeglot/core";
import { globSync } from "tinyglobby";
import type { LocalRunOptions } from "./options.js";
import { readRecords, relativeCommands, setUpRecorder, stubRelativeCommands, type RecorderSetup } from "./recorder.js";
import type { CommandRecord, FileSet } from "./trace.js";
import { byText } from "@pipeglot/schema";

export interface BashRun {
  /** Working directory (absolute). */
  cwd: string;
  /** Added to the sandbox's base environment (PATH, HOME, LANG, TMPDIR). */
  env?: Record<string, string>;
  timeoutSeconds?: number;
  /** The step's command log in record mode: `newLog()` gives one. */
  log?: string;
  /** Variables the recorder reports (the job's and the step's declared env names). */
  watch?: readonly string[];
  /** Record mode: files a recorded command leaves behind (`placeholderPaths` of the job's artifact paths), relative to `makesRoot`. */
  makes?: readonly string[];
  /** Where `makes` are relative to (default: cwd). */
  makesRoot?: string;
}

export interface BashResult {
  exit: number;
  timedOut: boolean;
  /** The last 4 KiB of stdout+stderr. */
  tail: string;
}

/** Names pipeglot's local runs use for their own files: never part of a FileSet. */
const SCRATCH_PREFIX = ".pipeglot";

export class Sandbox {
  private n = 0;
  private constructor(
    readonly root: string,
    readonly snapshot: string,
    readonly record: RecorderSetup | undefined,
    private readonly owned: boolean,
  ) {}

  /** A sandbox for one run: the snapshot of `opts.source`; in record mode with relative commands stubbed and `folders` made. */
  static open(opts: Pick<LocalRunOptions, "source" | "record" | "scratch">, scripts: readonly string[] = [], folders: readonly string[] = []): Sandbox {
    const root = opts.scratch ?? mkdtempSync(join(tmpdir(), "pipeglot-run-"));
    mkdirSync(root, { recursive: true });
    const snapshot = join(root, "snapshot");
    mkdirSync(snapshot, { recursive: true });
    if (opts.source) cpSync(opts.source, snapshot, { recursive: true, filter: (src) => !/(^|\/)(\.git|node_modules)$/.test(src) });
    for (const d of ["tmp", "home", "logs", "artifacts", "work"]) mkdirSync(join(root, d), { recursive: true });
    const record = opts.record ? setUpRecorder(join(root, "recorder"), process.env.PATH ?? "/usr/bin:/bin") : undefined;
    if (record) {
      // The repository the definition expects: its relative commands (stubs that record) and its steps' working folders.
      stubRelativeCommands(snapshot, relativeCommands(scripts));
      for (const f of folders) if (!relative(snapshot, join(snapshot, f)).startsWith("..")) mkdirSync(join(snapshot, f), { recursive: true });
    }
    return new Sandbox(root, snapshot, record, opts.scratch === undefined);
  }

  /** A fresh folder named after `label`, holding a copy of the snapshot when `withSource`. */
  workspace(label: string, withSource = true): string {
    const dir = join(this.root, "work", `${String(++this.n).padStart(3, "0")}-${label.replace(/[^A-Za-z0-9_.-]/g, "_")}`);
    mkdirSync(dir, { recursive: true });
    if (withSource) cpSync(this.snapshot, dir, { recursive: true });
    return dir;
  }

  /** A new, empty command log (record mode). */
  newLog(): string {
    return join(this.root, "logs", `${String(++this.n).padStart(3, "0")}.cmds`);
  }

  /** The commands a log holds, with cwd relative to `workspace`. */
  records(log: string | undefined, workspace: string): CommandRecord[] {
    return log ? readRecords(log, workspace) : [];
  }

  /** The environment every bash run starts from. */
  baseEnv(): Record<string, string> {
    const path = this.record ? this.record.path : (process.env.PATH ?? "/usr/bin:/bin");
    return { PATH: path, HOME: join(this.root, "home"), LANG: "C.UTF-8", TMPDIR: join(this.root, "tmp"), ...(this.record?.env ?? {}) };
  }

  /** Runs `script` with bash (a file, so any text works), killed with its children after the timeout. */
  bash(script: string, run: BashRun): Promise<BashResult> {
    const file = join(this.root, "logs", `${String(++this.n).padStart(3, "0")}.sh`);
    writeFileSync(file, script);
    const env: Record<string, string> = { ...this.baseEnv(), ...(run.env ?? {}) };
    if (run.log) env.PG_TRACE_LOG = run.log;
    if (run.watch) env.PG_TRACE_WATCH = run.watch.join(",");
    if (this.record && run.makes?.length) {
      env.PG_RECORD_MAKES = run.makes.join("\n");
      env.PG_RECORD_ROOT = run.makesRoot ?? run.cwd;
    }
    return new Promise((resolve, reject) => {
      const child = spawn("bash", [file], { cwd: run.cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
      let tail = "";
      const keep = (b: Buffer) => void (tail = (tail + b.toString("utf8")).slice(-4096));
      child.stdout.on("data", keep);
      child.stderr.on("data", keep);
      let timedOut = false;
      const timer = run.timeoutSeconds
        ? setTimeout(() => {
            timedOut = true;
            try {
              process.kill(-(child.pid ?? 0), "SIGKILL");
            } catch {
              /* already gone */
            }
          }, run.timeoutSeconds * 1000)
        : undefined;
      child.on("error", reject);
      child.on("close", (code, signal) => {
        if (timer) clearTimeout(timer);
        resolve({ exit: timedOut ? 124 : (code ?? (signal ? 128 : 1)), timedOut, tail });
      });
    });
  }

  /** Copies the files of `dir` matching `patterns` into the artifact store as `name`; returns them. */
  saveArtifact(name: string, dir: string, patterns: readonly string[]): FileSet {
    const store = join(this.root, "artifacts", name);
    rmSync(store, { recursive: true, force: true });
    mkdirSync(store, { recursive: true });
    for (const f of matchFiles(dir, patterns)) {
      mkdirSync(dirname(join(store, f)), { recursive: true });
      cpSync(join(dir, f), join(store, f));
    }
    return fileSet(store);
  }

  /** Copies the stored artifact `name` into `dir` (at the paths it was produced at); false when none was stored. */
  restoreArtifact(name: string, dir: string): boolean {
    const store = join(this.root, "artifacts", name);
    if (!existsSync(store)) return false;
    cpSync(store, dir, { recursive: true });
    return true;
  }

  /** Removes the scratch folder if this sandbox made it. */
  close(): void {
    if (this.owned) rmSync(this.root, { recursive: true, force: true });
  }
}

/** Files under `dir` matching the glob patterns (relative, sorted; pipeglot's scratch files never). */
export function matchFiles(dir: string, patterns: readonly string[]): string[] {
  if (patterns.length === 0) return [];
  return globSync([...patterns], { cwd: dir, dot: true, onlyFiles: true, followSymbolicLinks: false, expandDirectories: false })
    .filter((f) => !f.split("/").some((p) => p.startsWith(SCRATCH_PREFIX)))
    .sort();
}

/** The files under `dir` with a short hash of each: `.git` and pipeglot's scratch files left out. */
export function fileSet(dir: string): FileSet {
  const out: FileSet = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === ".git" || e.name.startsWith(SCRATCH_PREFIX)) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out[relative(dir, p).split("\\").join("/")] = createHash("sha256").update(readFileSync(p)).digest("hex").slice(0, 16);
    }
  };
  if (existsSync(dir)) walk(dir);
  return Object.fromEntries(Object.entries(out).sort(byText(([k]) => k)));
}

/** How a step in `shell` runs `script` from bash: bash and sh as scripts, pwsh and python through their interpreter. */
export function interpreterCommand(shell: "bash" | "sh" | "pwsh" | "python", script: string): string {
  const q = shQuote(script);
  switch (shell) {
    case "bash":
      return `bash -c ${q}`;
    case "sh":
      return `sh -c ${q}`;
    case "pwsh":
      return `pwsh -NoProfile -NonInteractive -Command ${q}`;
    case "python":
      return `python3 -c ${q}`;
  }
}
