/**
 * The shell wrapper that gives a step what its cloud has no field for: a timeout, retries, env
 * values, continue-on-error and a branch/variable guard. One generator, parameterised by a
 * dialect: the names of the shell variables it leaves set (which the runtime models read to say
 * what happened to the step's own command) and the form of its loop and of its tolerated failure.
 *
 * Composition, inside out: the exec unit runs the step's command (always exactly one quoted
 * argument of `SHELL -c`), the retry loop repeats it, continue-on-error tolerates its failure,
 * and the guard runs all that only when its test holds.
 */
import { shQuote } from "./quote.js";

/** The shell variables a wrapper leaves set. */
export interface WrapperVars {
  /** The attempts the retry loop made (1-based). */
  tries: string;
  /** The exit status of the last failed attempt inside the retry loop. */
  status: string;
  /** The real exit status continue-on-error tolerated (the wrapper's own status being 0). */
  tolerated: string;
  /** Set to 1 when the guard did not hold and the step was skipped. */
  skipped: string;
}

/**
 * How a wrapper is written.
 * - retry "seq": `for T in $(seq 1 N); do UNIT && break; S=$?; [ "$T" -lt N ] || (exit "$S"); done`
 * - retry "grouped": `{ for T in 1 … N; do UNIT; S=$?; if [ "$S" = 0 ] || [ "$T" = N ]; then break; fi; done; (exit "$S"); }`
 * - retry "script" (a whole script, the wrapper's last lines): each failed attempt says so on stderr, the script exits with the last status.
 * Both inline forms end with the last attempt's exit status and never `exit` the surrounding shell.
 * - tolerate "reset": `X=0; BODY || X=$?`; "message": `BODY || { X=$?; echo "…"; }`.
 */
export interface WrapperDialect {
  vars: WrapperVars;
  retry: "seq" | "grouped" | "script";
  tolerate: "reset" | "message";
  /** Printed when the guard skips the step (none: silent). */
  skipMessage?: string;
}

/** The runner of a command in `shell`: its program and the flag before the command. */
export const SHELL_RUNNERS = { bash: "bash -c", sh: "sh -c", pwsh: "pwsh -Command", python: "python3 -c" } as const;

export interface ExecSpec {
  /** `PROGRAM FLAG` before the command, e.g. `bash -c` (SHELL_RUNNERS). */
  runner: string;
  /** The step's command: written as exactly one single-quoted argument. */
  command: string;
  /** A working directory, as a shell word (cdWord). */
  cwd?: string;
  /** Env values, each one assignment word `NAME=VALUE` (the value quoted for the shell). */
  env?: readonly string[];
  /** Seconds before `timeout` ends the command (exit 124). */
  timeout?: number;
  /**
   * "export": `( [cd D && ][export K=V && …][timeout T ]RUNNER 'cmd' )`, a subshell;
   * "env": `[( cd D && ]env K=V … RUNNER 'cmd'[ )]`.
   */
  form: "export" | "env";
}

/** A directory as the word after `cd`: one that starts with `-` gets `./` so that cd never reads it as an option. */
export const cdTarget = (dir: string): string => (dir.startsWith("-") ? `./${dir}` : dir);

/** The unit that runs the step's command once. */
export function execUnit(e: ExecSpec): string {
  const run = `${e.timeout !== undefined ? `timeout ${e.timeout} ` : ""}${e.runner} ${shQuote(e.command)}`;
  const cd = e.cwd !== undefined ? `cd ${e.cwd} && ` : "";
  if (e.form === "export") return `( ${cd}${(e.env ?? []).map((a) => `export ${a} && `).join("")}${run} )`;
  const inner = ["env", ...(e.env ?? []), run].join(" ");
  return cd ? `( ${cd}${inner} )` : inner;
}

/** `unit` repeated until it succeeds, at most `attempts` times. */
export function retryLoop(unit: string, attempts: number, d: WrapperDialect): string {
  const { tries: t, status: s } = d.vars;
  if (d.retry === "seq") return `for ${t} in $(seq 1 ${attempts}); do ${unit} && break; ${s}=$?; [ "$${t}" -lt ${attempts} ] || (exit "$${s}"); done`;
  if (d.retry === "grouped") {
    const list = Array.from({ length: attempts }, (_, i) => String(i + 1)).join(" ");
    return `{ for ${t} in ${list}; do ${unit}; ${s}=$?; if [ "$${s}" = 0 ] || [ "$${t}" = ${attempts} ]; then break; fi; done; (exit "$${s}"); }`;
  }
  return `for ${t} in $(seq 1 ${attempts}); do\n  ${unit} && exit 0\n  ${s}=$?\n  echo "pipeglot: attempt $${t} of ${attempts} failed (exit $${s})" >&2\ndone\nexit $${s}\n`;
}

/** `body`, whose failure is tolerated: the result is 0 and the tolerated variable holds the real status. */
export function tolerate(body: string, d: WrapperDialect): string {
  const x = d.vars.tolerated;
  if (d.tolerate === "reset") return `${x}=0; ${body} || ${x}=$?`;
  return `${body} || { ${x}=$?; echo "pipeglot: the step failed (exit $${x}); continueOnError: the build goes on"; }`;
}

/** `body` only when `test` holds; else the skipped variable is 1 (and the dialect's message printed). */
export function guarded(test: string, body: string, d: WrapperDialect): string {
  const say = d.skipMessage !== undefined ? `; echo ${shQuote(d.skipMessage)}` : "";
  return `if ${test}; then ${body}; else ${d.vars.skipped}=1${say}; fi`;
}

export interface WrapSpec {
  /** The exec unit (execUnit). */
  exec: string;
  retries?: number;
  continueOnError?: boolean;
  /** A shell test: the step runs only when it holds. */
  guard?: string;
}

/** The whole wrapper: the exec unit, in its retry loop, tolerated, guarded (each only when asked for). */
export function wrap(w: WrapSpec, d: WrapperDialect): string {
  let body = w.exec;
  if (w.retries) body = retryLoop(body, w.retries + 1, d);
  if (w.continueOnError) body = tolerate(body, d);
  if (w.guard !== undefined) body = guarded(w.guard, body, d);
  return body;
}
