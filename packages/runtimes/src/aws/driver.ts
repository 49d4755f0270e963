/**
 * The shell driver of one CodeBuild build: the buildspec's phases in order, every command in ONE
 * shell instance (buildspec 0.2), each command's start and exit status written to a status file,
 * and each step's commands recorded to that step's own log (record mode).
 */
import { shQuote } from "@pipeglot/core";
import { PHASES, type Buildspec, type PhaseName } from "./compiled.js";

export interface DriverCommand {
  phase: PhaseName;
  block: "commands" | "finally";
  text: string;
  /** Index into the header's steps (-1: no neutral step). */
  step: number;
}

/** The buildspec's commands in the order CodeBuild reaches them: phase by phase, commands then finally. */
export function buildspecCommands(spec: Buildspec): DriverCommand[] {
  const out: DriverCommand[] = [];
  for (const phase of PHASES) {
    const p = spec.phases?.[phase];
    if (!p) continue;
    for (const block of ["commands", "finally"] as const) for (const text of p[block] ?? []) out.push({ phase, block, text: String(text), step: -1 });
  }
  return out;
}

export interface StepChannel {
  /** Record mode: the step's command log ("" for none). */
  log: string;
  watch: readonly string[];
  /** Record mode: the placeholders a recorded command of the step leaves (relative to CODEBUILD_SRC_DIR). */
  makes?: readonly string[];
}

// One command: its start (with CODEBUILD_BUILD_SUCCEEDING as it was), then its exit status and the
// value the compiler's retry loop left in pg_try (how many attempts that loop really made) and the
// one its continueOnError wrapper left in pg_exit (the step's real exit status, the command's being 0),
// and pg_skip, set by its condition guard when the step's branch/variable condition did not hold.
const RUN_ONE = `pg_cmd() {
  printf 'start %s %s\\n' "$pg_i" "$CODEBUILD_BUILD_SUCCEEDING" >> "$PG_AWS_STATUS"
  PG_TRACE_LOG=$pg_log; PG_TRACE_WATCH=$pg_watch; PG_RECORD_MAKES=$pg_makes; PG_RECORD_ROOT=$CODEBUILD_SRC_DIR
  export PG_TRACE_LOG PG_TRACE_WATCH PG_RECORD_MAKES PG_RECORD_ROOT
  unset pg_try pg_exit pg_skip
  eval "$pg_text"
  pg_rc=$?
  printf 'end %s %s %s %s %s\\n' "$pg_i" "$pg_rc" "\${pg_try:-}" "\${pg_exit:-}" "\${pg_skip:-}" >> "$PG_AWS_STATUS"
  return $pg_rc
}
`;

/**
 * After pipeglot's setup commands (the first `setup` ones): a copy of CODEBUILD_SRC_DIR in
 * PG_AWS_SNAPSHOT, the files the job's first step starts with.
 */
const SNAPSHOT = `if [ -n "\${PG_AWS_SNAPSHOT:-}" ]; then mkdir -p "$PG_AWS_SNAPSHOT" && cp -R "$CODEBUILD_SRC_DIR/." "$PG_AWS_SNAPSHOT/"; fi\n`;

/** The driver script (POSIX sh) for the commands, given each step's log and watched names. */
export function driverScript(spec: Buildspec, commands: readonly DriverCommand[], channels: readonly StepChannel[], setup = 0): string {
  // CODEBUILD_BUILD_SUCCEEDING: 1 while the build succeeds, 0 once it fails (DOCS.envVars).
  // A resumed driver (after a command ended the shell, see resumeEnv) starts after that command.
  let s = `CODEBUILD_BUILD_SUCCEEDING=\${PG_AWS_SUCCEEDING:-1}; export CODEBUILD_BUILD_SUCCEEDING\npg_stop=0; pg_from=\${PG_AWS_FROM:-0}\n${RUN_ONE}`;
  commands.forEach((c, i) => void (s += `pg_c${i}=${shQuote(c.text)}\n`));
  for (const phase of PHASES) {
    const idx = commands.map((c, i) => ({ c, i })).filter(({ c }) => c.phase === phase);
    if (!spec.phases?.[phase]) continue;
    s += `if [ "$pg_stop" = 0 ]; then\npg_pf=0; pg_ff=0\n[ "\${PG_AWS_DEAD:-}" = ${phase}.commands ] && pg_pf=1\n[ "\${PG_AWS_DEAD:-}" = ${phase}.finally ] && pg_ff=1\n`;
    for (const { c, i } of idx) {
      const ch = channels[c.step] ?? { log: "/dev/null", watch: [] };
      // buildspec: a failing command fails its phase; the rest of its commands block does not run,
      // its finally block runs even so (DOCS.buildspec, "finally").
      const flag = c.block === "commands" ? "pg_pf" : "pg_ff";
      s += `if [ "$${flag}" = 0 ] && [ ${i} -ge "$pg_from" ]; then pg_i=${i}; pg_log=${shQuote(ch.log || "/dev/null")}; pg_watch=${shQuote(ch.watch.join(","))}; pg_makes=${shQuote((ch.makes ?? []).join("\n"))}; pg_text=$pg_c${i}; pg_cmd || { ${flag}=1; CODEBUILD_BUILD_SUCCEEDING=0; }; fi\n`;
      if (i === setup - 1) s += SNAPSHOT;
    }
    s += `if [ "$pg_pf$pg_ff" != 00 ]; then printf 'phase %s failed\\n' ${phase} >> "$PG_AWS_STATUS"; ${afterFailure(spec, phase)}fi\nfi\n`;
  }
  return s;
}

/**
 * Phase transitions (DOCS.phases): a failed INSTALL or PRE_BUILD goes to FINALIZING (no later
 * phase runs); a failed BUILD still runs POST_BUILD. `on-failure: CONTINUE` goes on to the next
 * phase whatever failed (DOCS.buildspec, "on-failure").
 */
function afterFailure(spec: Buildspec, phase: PhaseName): string {
  if (spec.phases?.[phase]?.["on-failure"] === "CONTINUE") return "";
  return phase === "install" || phase === "pre_build" || phase === "post_build" ? "pg_stop=1; " : "";
}

export interface CommandResult {
  started: boolean;
  /** undefined when it started but never ended (the build was killed). */
  exit?: number;
  /** pg_try after the command: the attempts the compiler's retry loop made. */
  tries?: number;
  /** CODEBUILD_BUILD_SUCCEEDING when it started. */
  succeeding?: string;
  /** pg_exit after the command: the real exit status the compiler's continueOnError wrapper kept. */
  real?: number;
  /** The compiler's condition guard did not run the step (pg_skip). */
  skipped?: boolean;
}

/** Reads the status file the driver wrote. */
export function readStatus(text: string, count: number): { commands: CommandResult[]; failedPhases: string[] } {
  const commands: CommandResult[] = Array.from({ length: count }, () => ({ started: false }));
  const failedPhases: string[] = [];
  for (const line of text.split("\n")) {
    const [kind, a, b, c, d, e] = line.split(" ");
    if (kind === "phase" && a) failedPhases.push(a);
    const r = commands[Number(a)];
    if (!r) continue;
    if (kind === "start") Object.assign(r, { started: true, succeeding: b });
    if (kind === "end")
      Object.assign(r, { exit: Number(b), ...(c ? { tries: Number(c) } : {}), ...(d ? { real: Number(d) } : {}), ...(e ? { skipped: true } : {}) });
  }
  return { commands, failedPhases };
}

/**
 * A command that ends the shell itself (`exit 7`) fails only that command: CodeBuild reports
 * "Command did not exit successfully" and goes on with the phase rules (DOCS.phases). The model
 * then starts a new shell after that command, with the build failing; cwd and variables set by
 * earlier commands are not carried into it.
 */
export function resumeEnv(commands: readonly DriverCommand[], dead: number): Record<string, string> {
  const c = commands[dead]!;
  return { PG_AWS_FROM: String(dead + 1), PG_AWS_DEAD: `${c.phase}.${c.block}`, PG_AWS_SUCCEEDING: "0" };
}
