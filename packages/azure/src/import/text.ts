/**
 * Azure text → neutral text: undo the escaped forms the compiler writes (compile/text.ts), and turn
 * `$(X)` macros of declared variables, matrix values, secrets and git built-ins into neutral
 * references. Everything else (other macros, `$[ ]`) stays literal text.
 */
import { formatTemplate, parseTemplate, type Segment, type StepIR } from "@pipeglot/schema";
import { BRANCH_ENV, BRANCH_SOURCE, branchRead, GIT_MACROS, type Piece } from "../compile/text.js";

export interface MacroScope {
  variables: Set<string>;
  matrix: Set<string>;
  /** Azure variable name → neutral secret name. */
  secrets: Map<string, string>;
}

const BASH_ESC = /^eval ((?:'[^']*'|\\')+)\s*$/;
const PWSH_ESC = /^Invoke-Expression \(((?:'(?:[^']|'')*'(?: \+ )?)+)\)\s*$/;
const PY_ESC = /^exec\(((?:"(?:[^"\\]|\\.)*" ?)+)\)\s*$/;

/** The pieces of an escaped script, or undefined when `script` is not in an escaped form. */
export function unescapeScript(script: string): Piece[] | undefined {
  let parts: string[] | undefined;
  let m = BASH_ESC.exec(script);
  if (m) {
    parts = [];
    let prevQuoted = false;
    for (const t of m[1]!.match(/'[^']*'|\\'/g) ?? []) {
      if (t === "\\'") {
        if (!parts.length) parts.push("");
        parts[parts.length - 1] += "'";
        prevQuoted = false;
      } else {
        // Two quoted tokens side by side start a new piece; after \' the quote continues the piece.
        if (prevQuoted || !parts.length) parts.push(t.slice(1, -1));
        else parts[parts.length - 1] += t.slice(1, -1);
        prevQuoted = true;
      }
    }
  } else if ((m = PWSH_ESC.exec(script))) {
    parts = (m[1]!.match(/'(?:[^']|'')*'/g) ?? []).map((t) => t.slice(1, -1).split("''").join("'"));
  } else if ((m = PY_ESC.exec(script))) {
    parts = (m[1]!.match(/"(?:[^"\\]|\\.)*"/g) ?? []).map((t) => JSON.parse(t) as string);
  }
  if (!parts) return undefined;
  return parts.map((p): Piece => (/^\$\([^()]+\)$/.test(p) && !p.includes("'") ? { kind: "ref", macro: p } : { kind: "lit", text: p }));
}

/** Split plain Azure text into literal text and macro candidates (agent scanning rules). */
export function macroPieces(s: string): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  const re = /\$\(([^()]+)\)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    if (m.index > i) out.push({ kind: "lit", text: s.slice(i, m.index) });
    out.push({ kind: "ref", macro: m[0] });
    i = m.index + m[0].length;
  }
  if (i < s.length) out.push({ kind: "lit", text: s.slice(i) });
  return out;
}

/** An Azure variable name as a neutral variable name (letters, digits and '_'; `JQM.packageName` → `JQM_packageName`). */
export function neutralVar(name: string): string {
  const n = name.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[A-Za-z_]/.test(n) ? n : `_${n}`;
}

/** Pieces → neutral text. `kept` collects macros left as literal text. */
export function neutralText(ps: readonly Piece[], scope: MacroScope, kept: string[]): string {
  const segs: Segment[] = [];
  const lit = (t: string) => {
    const last = segs[segs.length - 1];
    if (last?.kind === "text") last.value += t;
    else segs.push({ kind: "text", value: t });
  };
  for (const p of ps) {
    if (p.kind === "lit") {
      lit(p.text);
      continue;
    }
    const name = p.macro.slice(2, -1);
    if (scope.matrix.has(name)) segs.push({ kind: "matrix", name });
    else if (scope.variables.has(name)) segs.push({ kind: "var", name: neutralVar(name) });
    else if (scope.secrets.has(name)) segs.push({ kind: "secret", name: scope.secrets.get(name)! });
    else if (name.toLowerCase() === GIT_MACROS.commit.toLowerCase()) segs.push({ kind: "git", name: "commit" });
    else if (name.toLowerCase() === GIT_MACROS.branch.toLowerCase()) segs.push({ kind: "git", name: "branch" });
    else {
      kept.push(p.macro);
      lit(p.macro);
    }
  }
  return formatTemplate(segs);
}

/** A script as neutral text (escaped forms undone). */
export function importScript(script: string, scope: MacroScope, kept: string[]): string {
  const un = unescapeScript(script);
  if (un) return neutralText(un, scope, kept);
  return neutralText(macroPieces(script), scope, kept);
}

/** The env entry compile writes for a reference a script reads from its env: `K: $(K)` (a variable, secret or matrix value named K), `PIPEGLOT_BRANCH: $(Build.SourceBranchName)`. */
function dataEnvRef(key: string, value: string): Segment | undefined {
  const segs = parseTemplate(value).segments;
  const s = segs.length === 1 ? segs[0]! : undefined;
  if (!s || s.kind === "text") return undefined;
  if (s.kind === "git") return s.name === "branch" && key === BRANCH_ENV ? s : undefined;
  return s.name === key ? s : undefined;
}

/** The env entry compile writes for a script reading the branch (`PIPEGLOT_BRANCH: $(Build.SourceBranch)`), as the neutral branch reference. */
export function branchEnv(key: string, v: unknown): string | undefined {
  return key === BRANCH_ENV && v === `$(${BRANCH_SOURCE})` ? "${{ git.branch }}" : undefined;
}

/**
 * Undo compile's env reading (compile/text.ts, RefNames.env): an env entry that maps a reference to
 * its own name, read by the script as `${K}` (pwsh `${env:K}`), is that reference in the command.
 * The entry goes only when the script reads it that way.
 */
export function readDataEnv(step: StepIR): void {
  if (step.run === undefined || step.shell === "python") return;
  const read = (k: string) => (step.shell === "pwsh" ? `\${env:${k}}` : `\${${k}}`);
  const refs = new Map<string, Segment>();
  for (const [k, v] of Object.entries(step.env)) {
    const ref = dataEnvRef(k, v);
    if (!ref) continue;
    // The branch: `${PIPEGLOT_BRANCH#refs/heads/}` from $(Build.SourceBranch) (or the plain read of older files).
    const r = [...(ref.kind === "git" && v === "${{ git.branch }}" ? [branchRead(step.shell)] : []), read(k)].find((x) => step.run!.includes(x));
    if (r) refs.set(r, ref);
  }
  if (!refs.size) return;
  const segs: Segment[] = [];
  for (const s of parseTemplate(step.run).segments) {
    if (s.kind !== "text") {
      segs.push(s);
      continue;
    }
    const pattern = new RegExp([...refs.keys()].map((r) => r.replace(/[$\\{}:()^'|.*+?[\]]/g, (c) => "\\" + c)).join("|"), "g");
    let last = 0;
    for (const m of s.value.matchAll(pattern)) {
      segs.push({ kind: "text", value: s.value.slice(last, m.index) }, refs.get(m[0])!);
      last = m.index! + m[0].length;
    }
    segs.push({ kind: "text", value: s.value.slice(last) });
  }
  step.run = formatTemplate(segs.filter((s) => s.kind !== "text" || s.value !== ""));
  for (const [r, ref] of refs) delete step.env[ref.kind === "git" ? BRANCH_ENV : r.replace(/^\$\{(env:)?|\}$/g, "")];
}
