/**
 * Record mode: every command a step runs that is not one of the plain tools below is recorded
 * (argv, working directory, watched variables) and not run. Bash calls `command_not_found_handle`
 * for a command it cannot find on PATH; record mode's PATH holds only the plain tools, and
 * BASH_ENV defines the handler in every bash the pipeline starts (`bash -c`, scripts). Commands
 * named by a path (`./scripts/deploy.sh`) are replaced in the workspace by a stub that records
 * itself. The log is NUL-separated, so any byte of an argument survives.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join, relative } from "node:path";
import type { CommandRecord } from "./trace.js";

/** Tools run as they are in record mode: file and text plumbing, never the pipeline's own programs. */
export const PLAIN_TOOLS = [
  "awk",
  "base64",
  "basename",
  "cat",
  "chmod",
  "cmp",
  "comm",
  "cp",
  "cut",
  "date",
  "diff",
  "dirname",
  "echo",
  "env",
  "expr",
  "false",
  "find",
  "grep",
  "gunzip",
  "gzip",
  "head",
  "id",
  "ln",
  "ls",
  "md5sum",
  "mkdir",
  "mktemp",
  "mv",
  "nproc",
  "printf",
  "readlink",
  "realpath",
  "rm",
  "rmdir",
  "sed",
  "seq",
  "sha256sum",
  "sleep",
  "sort",
  "stat",
  "tail",
  "tar",
  "tee",
  "test",
  "touch",
  "tr",
  "true",
  "uname",
  "uniq",
  "wc",
  "which",
  "xargs",
  "yes",
] as const;

const RECORDER = `#!/bin/bash
# pipeglot run --local --record: records this command instead of running it.
{
  printf '%s\\0' "$#" "$@" "$PWD"
  IFS=, read -r -a pg_watch <<< "\${PG_TRACE_WATCH:-}"
  for pg_name in "\${pg_watch[@]}"; do
    if [ -n "\${!pg_name+set}" ]; then printf '%s\\0%s\\0' "$pg_name" "\${!pg_name}"; fi
  done
  printf '\\036\\0'
} >> "\${PG_TRACE_LOG:-/dev/null}"
# What the recorded command would have made: a placeholder at each path the job's artifacts name.
if [ -n "\${PG_RECORD_MAKES:-}" ]; then
  while IFS= read -r pg_make; do
    [ -n "$pg_make" ] || continue
    pg_file="\${PG_RECORD_ROOT:-$PWD}/$pg_make"
    [ -e "$pg_file" ] && continue
    mkdir -p "$(dirname "$pg_file")" && printf 'made by a recorded command (pipeglot run --record)\\n' > "$pg_file"
  done <<< "$PG_RECORD_MAKES"
fi
exit 0
`;

const BASH_ENV = `command_not_found_handle() { "$PG_RECORDER" "$@"; }
`;

/** \`sh\` is bash here, so that the handler is defined in sh steps too (bash as sh reads no BASH_ENV). */
const SH = `#!/bin/bash
exec bash "$@"
`;

/** \`timeout D cmd\` runs cmd through bash, so that an unknown cmd reaches the handler. */
const TIMEOUT = (real: string) => `#!/bin/bash
pg_opts=()
while [[ "$1" == -* ]]; do
  pg_opts+=("$1")
  case "$1" in -k|-s|--kill-after|--signal) shift; pg_opts+=("$1") ;; esac
  shift
done
pg_d="$1"; shift
exec ${real} "\${pg_opts[@]}" "$pg_d" bash -c '"$@"' pipeglot-timeout "$@"
`;

function which(tool: string, path: string): string | undefined {
  for (const d of path.split(delimiter)) {
    const f = join(d, tool);
    if (d && existsSync(f)) return f;
  }
  return undefined;
}

export interface RecorderSetup {
  /** PATH for record mode (the plain tools only). */
  path: string;
  /** Variables every step of a recorded run gets (BASH_ENV, PG_RECORDER). */
  env: Record<string, string>;
  recorder: string;
}

/** Writes the recorder, the handler and the plain-tools folder under `dir`. */
export function setUpRecorder(dir: string, hostPath: string): RecorderSetup {
  const bin = join(dir, "plain");
  mkdirSync(bin, { recursive: true });
  const recorder = join(dir, "pg-record");
  writeFileSync(recorder, RECORDER);
  chmodSync(recorder, 0o755);
  writeFileSync(join(dir, "bash_env"), BASH_ENV);
  const bash = which("bash", hostPath) ?? "/bin/bash";
  symlinkSync(bash, join(bin, "bash"));
  writeFileSync(join(bin, "sh"), SH.replace("exec bash", `exec ${bash}`));
  chmodSync(join(bin, "sh"), 0o755);
  const timeout = which("timeout", hostPath);
  if (timeout) {
    writeFileSync(join(bin, "timeout"), TIMEOUT(timeout));
    chmodSync(join(bin, "timeout"), 0o755);
  }
  for (const t of PLAIN_TOOLS) {
    const f = which(t, hostPath);
    if (f) symlinkSync(f, join(bin, t));
  }
  return { path: bin, env: { BASH_ENV: join(dir, "bash_env"), PG_RECORDER: recorder }, recorder };
}

/**
 * Record mode's stand-in for what a job's commands would make: one file per artifact path glob
 * (`dist/**` → `dist/recorded`, `target/*.jar` → `target/recorded.jar`), so that artifacts are
 * not empty when nothing really ran. Negated patterns make nothing.
 */
export function placeholderPaths(globs: readonly string[]): string[] {
  const out = new Set<string>();
  for (const g of globs) {
    if (g.startsWith("!")) continue;
    const p = g
      .replace(/\{([^,}]*)[^}]*\}/g, "$1")
      .replace(/\[[^\]]*\]/g, "x")
      .replace(/\*\*\//g, "")
      .replace(/\*\*/g, "recorded")
      .replace(/\*/g, "recorded")
      .replace(/\?/g, "x")
      .replace(/^\.\//, "")
      .replace(/\/$/, "/recorded");
    if (p && !p.startsWith("/") && !p.split("/").includes("..")) out.add(p);
  }
  return [...out].sort();
}

/** `./x/y.sh` words at a command position in the definition's commands. */
export function relativeCommands(scripts: readonly string[]): string[] {
  const found = new Set<string>();
  const at = /(?:^|[;&|(){}\n]|\bthen|\bdo|\belse)\s*(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(\.\.?\/[A-Za-z0-9_./-]+)/g;
  for (const s of scripts) for (const m of s.matchAll(at)) found.add(m[1]);
  return [...found].sort();
}

/** Replace each relative command in the workspace snapshot by a stub that records itself. */
export function stubRelativeCommands(snapshot: string, commands: readonly string[]): void {
  for (const c of commands) {
    const file = join(snapshot, c);
    if (relative(snapshot, file).startsWith("..")) continue;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `#!/bin/bash\nexec "$PG_RECORDER" "$0" "$@"\n`);
    chmodSync(file, 0o755);
  }
}

/** The records of one log (absent: none); `workspace` makes each cwd relative. */
export function readRecords(log: string, workspace: string): CommandRecord[] {
  if (!existsSync(log)) return [];
  const fields = readFileSync(log).toString("utf8").split("\0");
  const out: CommandRecord[] = [];
  let i = 0;
  while (i < fields.length - 1) {
    const argc = Number(fields[i++]);
    const argv = fields.slice(i, i + argc);
    i += argc;
    const cwd = relative(workspace, fields[i++]).split("\\").join("/") || ".";
    const env: Record<string, string> = {};
    while (i < fields.length && fields[i] !== "\u001e") {
      env[fields[i]] = fields[i + 1];
      i += 2;
    }
    i++;
    out.push({ argv, cwd, env });
  }
  return out;
}
