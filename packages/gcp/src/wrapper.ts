/**
 * The wrapper script a step gets when Cloud Build cannot express something natively (retries,
 * conditions, a secret under another name). The step becomes
 *
 *   entrypoint: bash
 *   args: ["-c", <wrapper>, "pipeglot", <command>]
 *
 * so the command stays one argument, byte for byte. The wrapper's first line is core's one header
 * `# pipeglot: {json}`: the neutral settings it implements, which import reads back (wrappers
 * written before that format said `# pipeglot {json}`; core's reader still reads them).
 */
import type { ConditionIR, Shell } from "@pipeglot/schema";
import { readHeader, shQuote, type WrapperDialect } from "@pipeglot/core";
import { escapeSubstitutions } from "./native/substitution.js";

export const WRAPPER_ARG0 = "pipeglot";

export interface WrapperSpec {
  shell?: Shell;
  retries?: number;
  jobRetries?: number;
  when?: { stage?: ConditionIR; job?: ConditionIR; step?: ConditionIR };
  /** Conditions of the stages / jobs this step's job needs (compile/inherit.ts): tested too, not the step's own (import ignores them). */
  after?: { stage?: ConditionIR[]; job?: ConditionIR[] };
  /** Env vars set at run time (neutral values; they hold secrets). */
  env?: Record<string, string>;
}

/** A piece of wrapper text: literal (escaped for the substitution pass) or raw (Cloud Build syntax). */
export type Piece = string | { raw: string };

export const lit = (s: string): Piece => s;
export const raw = (s: string): Piece => ({ raw: s });
export const joinPieces = (ps: readonly Piece[]): string => ps.map((p) => (typeof p === "string" ? escapeSubstitutions(p) : p.raw)).join("");

/** bash single-quoted word (core's one helper). */
export const sq = shQuote;

export function shellRunner(shell: Shell): string {
  switch (shell) {
    case "bash":
      return 'bash -c "$1"';
    case "sh":
      return 'sh -c "$1"';
    case "python":
      return 'python -c "$1"';
    case "pwsh":
      return 'pwsh -Command "$1"';
  }
}

/** A case pattern for a branch glob: glob characters raw, the rest quoted; refs/heads/ and refs/tags/ dropped. */
export function casePattern(glob: string): string {
  const g = glob.replace(/^refs\/(heads|tags)\//, "").replace(/\*\*/g, "*");
  let out = "";
  let buf = "";
  for (const c of g) {
    if (c === "*" || c === "?") {
      if (buf) out += sq(buf);
      buf = "";
      out += c;
    } else buf += c;
  }
  if (buf) out += sq(buf);
  return out || "''";
}

/** The settings in a wrapper's header (its first line), or undefined when it has none. */
export const parseHeader = (wrapper: string): WrapperSpec | undefined => readHeader(wrapper) as WrapperSpec | undefined;

/**
 * The wrapper's dialect (core's one wrapper): a whole script whose retry loop exits with the last
 * attempt's status. Only the retry loop is core's here: continue-on-error is the step's native
 * allowFailure, and the guards are Cloud Build's own (compile/steps.ts condPieces).
 */
export const DIALECT: WrapperDialect = {
  vars: { tries: "pg_try", status: "pg_rc", tolerated: "pg_rc", skipped: "pg_skip" },
  retry: "script",
  tolerate: "reset",
};
