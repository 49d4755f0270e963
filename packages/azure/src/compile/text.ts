/**
 * Neutral text → Azure text, and the escaping this needs.
 *
 * What Azure does to a step's script before the shell sees it (and what we rely on):
 *  1. Template expressions `${{ ... }}` are evaluated anywhere inside a string at compile time.
 *  2. A value that is entirely `$[ ... ]` is a runtime expression and is evaluated.
 *  3. Macros: the agent scans for `$(`, takes everything up to the next `)` as a variable name and,
 *     only if a variable of that exact name exists, replaces the macro with its value; otherwise it
 *     moves one character on. The replacement is not recursive. There is no escape syntax
 *     (microsoft/azure-pipelines-agent, VarUtil.ExpandValues; Microsoft docs "Define variables":
 *     "If there's no variable by that name, then the macro expression does not change").
 *
 * Our own references are written as macros (`$(NAME)`). Literal text that Azure would expand — a
 * `${{`, a whole-value `$[ ]`, or a `$(key)` whose key could name a variable — is written so that
 * those character sequences never appear: the command is split after every `$` that precedes
 * `(`, `{` or `[`, each piece is quoted for the step's shell, and the shell puts the pieces back
 * together and runs the result (`eval` in bash, `Invoke-Expression` in pwsh, `exec` in python).
 * References stay macros in their own quoted piece, so Azure still expands them (pasting the value
 * textually, as a macro always does; a value holding the quote character breaks that piece).
 *
 * That is why a step's script does not use macros for values (`RefNames.env` set): anyone who
 * queues a run can set a variable's value, so a bash/sh/pwsh script reads variables, secrets,
 * matrix values and the branch from its environment (`"${X}"`, pwsh `${env:X}`), and the step's
 * `env:` maps each one from its macro (`X: $(X)`): Azure expands macros in env values, which
 * are data. Python has no such reading here, so its script keeps the macros (`pasted` says so).
 */
import { parseTemplate, type Segment } from "@pipeglot/schema";
import type { Shell } from "@pipeglot/schema";
import { shQuote } from "@pipeglot/core";

export type Piece = { kind: "lit"; text: string } | { kind: "ref"; macro: string };

export interface RefNames {
  /** Azure variable name for a neutral secret. */
  secret(name: string): string;
  /** Set for a script that reads references from its env: collects env name → the macro the step's env maps it from. */
  env?: Map<string, string>;
}

/** The env name a script reads the branch from. */
export const BRANCH_ENV = "PIPEGLOT_BRANCH";

/**
 * The branch a script reads: the env holds the full ref `$(Build.SourceBranch)` (refs/heads/release/1.2;
 * Build.SourceBranchName is only its last segment, 1.2) and the script drops the refs/heads/ prefix
 * as data: `${PIPEGLOT_BRANCH#refs/heads/}` (bash, sh), `$($env:PIPEGLOT_BRANCH -replace ...)` (pwsh).
 * https://learn.microsoft.com/azure/devops/pipelines/build/variables
 */
export const BRANCH_SOURCE = "Build.SourceBranch";
export function branchRead(shell: Shell): string {
  return shell === "pwsh" ? `$($env:${BRANCH_ENV} -replace '^refs/heads/', '')` : `\${${BRANCH_ENV}#refs/heads/}`;
}

/** The reference of segment `s` read from the env (see RefNames.env), or undefined to keep the macro. */
function envRef(s: Exclude<Segment, { kind: "text" }>, macro: string, shell: Shell, env: Map<string, string>): string | undefined {
  if (shell === "python" || (s.kind === "git" && s.name === "commit")) return undefined;
  if (s.kind === "git") {
    env.set(BRANCH_ENV, `$(${BRANCH_SOURCE})`);
    return branchRead(shell);
  }
  env.set(s.name, macro);
  return shell === "pwsh" ? `\${env:${s.name}}` : `\${${s.name}}`;
}

/** The macros of git references kept as macros (python scripts, env values, paths): the branch is its last segment there. */
export const GIT_MACROS = { commit: "Build.SourceVersion", branch: "Build.SourceBranchName" } as const;

export function pieces(text: string, refs: RefNames, shell: Shell = "bash"): Piece[] {
  return parseTemplate(text).segments.map((s: Segment): Piece => {
    if (s.kind === "text") return { kind: "lit", text: s.value };
    const macro = s.kind === "secret" ? `$(${refs.secret(s.name)})` : s.kind === "git" ? `$(${GIT_MACROS[s.name]})` : `$(${s.name})`;
    const read = refs.env && envRef(s, macro, shell, refs.env);
    return { kind: "ref", macro: read ?? macro };
  });
}

/** A macro key that could name an Azure variable (letters, digits, '.', '_', '-'; surrounding blanks tolerated). */
const isVariableKey = (key: string): boolean => /^\s*[A-Za-z0-9_.-]+\s*$/.test(key);

/** Macro candidates exactly as the agent finds them (VarUtil.ExpandValues), assuming no variable matches. */
export function macroCandidates(s: string): { start: number; end: number; key: string }[] {
  const out: { start: number; end: number; key: string }[] = [];
  let start = 0;
  for (;;) {
    const p = s.indexOf("$(", start);
    if (p < 0) break;
    const q = s.indexOf(")", p + 2);
    if (q < 0) break;
    out.push({ start: p, end: q + 1, key: s.slice(p + 2, q) });
    start = p + 1;
  }
  return out;
}

const join = (ps: readonly Piece[]) => ps.map((p) => (p.kind === "lit" ? p.text : p.macro)).join("");

/** Whether the literal parts of `ps`, written plainly, would be changed by Azure. */
function needsEscape(ps: readonly Piece[]): boolean {
  const refSpans = new Set<number>();
  let at = 0;
  for (const p of ps) {
    if (p.kind === "ref") refSpans.add(at);
    at += p.kind === "lit" ? p.text.length : p.macro.length;
  }
  const s = join(ps);
  // References are `$(name)` macros, so any `${{` in the joined text comes from literal text.
  if (s.includes("${{")) return true;
  if (/^\s*\$\[[\s\S]*\]\s*$/.test(s)) return true;
  return macroCandidates(s).some((c) => !refSpans.has(c.start) && isVariableKey(c.key));
}

/** Split literal text after each `$` that precedes `(`, `{` or `[`. */
function splitLiteral(text: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < text.length; i++) {
    cur += text[i];
    if (text[i] === "$" && /[({[]/.test(text[i + 1] ?? "")) {
      out.push(cur);
      cur = "";
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** Pieces ready to quote: literals split so that no `$(`, `${` or `$[` stays inside one piece; a literal ending in `$` never precedes another piece's `(`. */
function quotedPieces(ps: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of ps) {
    if (p.kind === "ref") out.push(p);
    else for (const t of splitLiteral(p.text)) out.push({ kind: "lit", text: t });
  }
  return out;
}

const bashQuote = shQuote;
const pwshQuote = (s: string) => `'${s.split("'").join("''")}'`;
const pyQuote = (s: string) =>
  JSON.stringify(s)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");

const ESCAPE_PREFIX = { bash: "eval ", pwsh: "Invoke-Expression (", python: "exec(" } as const;

/** The script text for `shell`, and whether it had to be escaped. */
export function renderScript(text: string, shell: Shell, refs: RefNames): { script: string; escaped: boolean } {
  const ps = pieces(text, refs, shell);
  // Plain text that starts like an escaped script would be read back as one: escape it too.
  const prefix = shell === "pwsh" ? ESCAPE_PREFIX.pwsh : shell === "python" ? ESCAPE_PREFIX.python : ESCAPE_PREFIX.bash;
  if (!needsEscape(ps) && !join(ps).startsWith(prefix)) return { script: join(ps), escaped: false };
  const qs = quotedPieces(ps);
  if (shell === "pwsh")
    return { script: `Invoke-Expression (${qs.map((p) => pwshQuote(p.kind === "lit" ? p.text : p.macro)).join(" + ") || "''"})`, escaped: true };
  if (shell === "python") return { script: `exec(${qs.map((p) => pyQuote(p.kind === "lit" ? p.text : p.macro)).join(" ") || '""'})`, escaped: true };
  return { script: `eval ${qs.map((p) => bashQuote(p.kind === "lit" ? p.text : p.macro)).join("") || "''"}`, escaped: true };
}

/**
 * Text for a plain value (env value, path): `${{` becomes the template literal `${{ '${{' }}`, which
 * Azure's template engine turns back into `${{`. Macros cannot be escaped here: `unescapable` says so.
 */
export function renderValue(text: string, refs: RefNames): { value: string; unescapable: boolean; branchName: boolean } {
  const ps = pieces(text, refs);
  const branchName = ps.some((p) => p.kind === "ref" && p.macro === `$(${GIT_MACROS.branch})`);
  const unescapable = (() => {
    const plain = ps.map((p) => (p.kind === "lit" ? { ...p, text: p.text.split("${{").join("") } : p));
    return needsEscape(plain);
  })();
  const value = ps.map((p) => (p.kind === "lit" ? p.text.split("${{").join("${{ '${{' }}") : p.macro)).join("");
  return { value, unescapable, branchName };
}
