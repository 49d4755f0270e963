/**
 * Reading step commands back: pipeglot's own wrappers (see compile/commands.ts) are parsed into
 * their parts; anything else is the step's text as is. `${NAME}` references become neutral
 * references when NAME is a parameter, a vault variable, a matrix value or a git built-in.
 */
import { formatTemplate, type Segment, type Shell } from "@pipeglot/schema";
import { BUILD_GIT, CONTAINER_WORKDIR, DEPLOY_GIT, LEGACY_WRAP_MARKER, MATRIX_PREFIX, WRAP_HEADER, WRAPPER_VARS } from "../conventions.js";
import { isOp, isWord, literalOf, patternOf, splitHeader, tokenize, type Token, type WordSeg, type WordToken } from "@pipeglot/core";

export type ParsedClause = { kind: "branches"; patterns: string[] } | { kind: "variable"; name: string; value: string };

export interface WrappedStep {
  /** The exact text of the -c argument. */
  text: string;
  shell: string;
  image?: WordSeg[];
  workingDirectory?: string;
  env: [string, WordSeg[]][];
  retries: number;
  continueOnError: boolean;
  clauses: ParsedClause[];
}

const SHELLS = new Set(["bash", "sh", "pwsh", "python"]);

/** Parse a command pipeglot wrapped; undefined when it is not one (then the command is the text). */
export function parseWrapped(command: string): WrappedStep | undefined {
  const body = wrapperBody(command);
  if (body === undefined) return undefined;
  const tokens = tokenize(body);
  if (!tokens) return undefined;
  let t = tokens;
  while (t.length && isOp(t[t.length - 1], "\n")) t = t.slice(0, -1);
  const out: WrappedStep = { text: "", shell: "bash", env: [], retries: 0, continueOnError: false, clauses: [] };
  // [if TEST; then BODY; else [pg_skipped=1;] echo MSG; fi]
  if (isWord(t[0], "if")) {
    const body = parseGuard(t, out);
    if (!body) return undefined;
    t = body;
  }
  const tolerated = parseContinue(t);
  if (tolerated) {
    out.continueOnError = true;
    t = tolerated;
  }
  if (isWord(t[0], "for") || (isWord(t[0], "{") && isWord(t[1], "for"))) {
    const r = parseRetry(t);
    if (!r) return undefined;
    out.retries = r.retries;
    t = r.exec;
  }
  return parseExec(t, out) ? out : undefined;
}

/** The text after the wrapper's header (core's `# pipeglot: {json}`, or the marker line written before it). */
function wrapperBody(command: string): string | undefined {
  if (command.startsWith(LEGACY_WRAP_MARKER + "\n")) return command.slice(LEGACY_WRAP_MARKER.length + 1);
  const h = splitHeader(command);
  return h && h.meta.wrapper === WRAP_HEADER.wrapper ? h.body : undefined;
}

function parseGuard(t: Token[], out: WrappedStep): Token[] | undefined {
  const n = t.length;
  if (!(isOp(t[n - 2], ";") && isWord(t[n - 1], "fi") && isWord(t[n - 4], "echo"))) return undefined;
  // The skip marker (written since the model reads it) is optional: older output has none.
  const marked = isOp(t[n - 5], ";") && literalOf(t[n - 6]) === `${WRAPPER_VARS.skipped}=1`;
  const elseAt = marked ? n - 7 : n - 5;
  if (!(isWord(t[elseAt], "else") && isOp(t[elseAt - 1], ";"))) return undefined;
  const then = t.findIndex((x, i) => i > 0 && isWord(x, "then") && isOp(t[i - 1], ";"));
  if (then < 0) return undefined;
  const clauses = parseTest(t.slice(1, then - 1));
  if (!clauses) return undefined;
  out.clauses = clauses;
  return t.slice(then + 1, elseAt - 1);
}

/** `BODY || true` (older output) or `BODY || { pg_failed=$?; echo MSG; }` → BODY; undefined when neither. */
function parseContinue(t: Token[]): Token[] | undefined {
  const n = t.length;
  if (isOp(t[n - 2], "||") && isWord(t[n - 1], "true")) return t.slice(0, -2);
  if (!isWord(t[n - 1], "}") || !isOp(t[n - 2], ";")) return undefined;
  const at = n - 8;
  const ok =
    isOp(t[at], "||") &&
    isWord(t[at + 1], "{") &&
    literalOf(t[at + 2])?.startsWith(`${WRAPPER_VARS.failed}=`) &&
    isOp(t[at + 3], ";") &&
    isWord(t[at + 4], "echo");
  return ok ? t.slice(0, at) : undefined;
}

/**
 * The retry loop: `{ for pg_try in 1 .. N; do EXEC; pg_rc=$?; if …; then break; fi; done; (exit "$pg_rc"); }`
 * or (older output) `for pg_try in 1 .. N; do EXEC && break; if …; then exit 1; fi; done`.
 */
function parseRetry(t: Token[]): { retries: number; exec: Token[] } | undefined {
  const grouped = isWord(t[0], "{");
  const f = grouped ? t.slice(1) : t;
  const doAt = f.findIndex((x) => isWord(x, "do"));
  const counts = f.slice(3, doAt - 1).map((x) => literalOf(x));
  if (doAt < 0 || !isWord(f[1], WRAPPER_VARS.tries) || counts.length < 2 || counts.some((c, i) => c !== String(i + 1))) return undefined;
  const end = grouped
    ? f.findIndex((x, i) => i > doAt && literalOf(x)?.startsWith(`${WRAPPER_VARS.rc}=`) && isOp(f[i - 1], ";")) - 1
    : f.findIndex((x, i) => isWord(x, "break") && isOp(f[i - 1], "&&")) - 1;
  const closed = grouped ? isWord(f[f.length - 1], "}") : isWord(f[f.length - 1], "done");
  if (end <= doAt || !closed) return undefined;
  return { retries: counts.length - 1, exec: f.slice(doAt + 1, end) };
}

function parseTest(t: Token[]): ParsedClause[] | undefined {
  const out: ParsedClause[] = [];
  let i = 0;
  while (i < t.length) {
    if (isWord(t[i], "[[")) {
      const patterns: string[] = [];
      i++;
      for (;;) {
        const w = t[i + 2];
        if (!isWord(t[i]) || !isWord(t[i + 1], "==") || !isWord(w)) return undefined;
        patterns.push(patternOf(w));
        i += 3;
        if (isOp(t[i], "||")) {
          i++;
          continue;
        }
        if (isWord(t[i], "]]")) {
          i++;
          break;
        }
        return undefined;
      }
      out.push({ kind: "branches", patterns });
    } else if (isWord(t[i], "[")) {
      const v = t[i + 1];
      const value = literalOf(t[i + 3]);
      if (!isWord(v) || v.segs.length !== 1 || v.segs[0]!.kind !== "env" || !isWord(t[i + 2], "=") || value === undefined || !isWord(t[i + 4], "]"))
        return undefined;
      out.push({ kind: "variable", name: v.segs[0]!.name, value });
      i += 5;
    } else return undefined;
    if (i < t.length) {
      if (!isOp(t[i], "&&")) return undefined;
      i++;
    }
  }
  return out;
}

function assignment(w: Token | undefined): [string, WordSeg[]] | undefined {
  if (!isWord(w)) return undefined;
  const first = w.segs[0];
  if (!first || first.kind !== "text") return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.value);
  if (!m) return undefined;
  const rest = first.value.slice(m[0].length);
  const segs: WordSeg[] = [...(rest ? [{ ...first, value: rest }] : []), ...w.segs.slice(1)];
  return [m[1]!, segs];
}

function tail(t: Token[], i: number, out: WrappedStep): boolean {
  const shell = literalOf(t[i]);
  const text = literalOf(t[i + 2]);
  if (!shell || !SHELLS.has(shell) || !isWord(t[i + 1], "-c") || text === undefined || i + 3 !== t.length) return false;
  out.shell = shell;
  out.text = text;
  return true;
}

function parseExec(t: Token[], out: WrappedStep): boolean {
  if (isWord(t[0], "docker") && isWord(t[1], "run")) {
    let i = 2;
    for (;;) {
      const flag = literalOf(t[i]);
      if (flag === "--rm") i++;
      else if (flag === "-v") i += 2;
      else if (flag === "-w") {
        const w = literalOf(t[i + 1]);
        if (w === undefined) return false;
        if (w !== CONTAINER_WORKDIR) out.workingDirectory = w.startsWith(`${CONTAINER_WORKDIR}/`) ? w.slice(CONTAINER_WORKDIR.length + 1) : w;
        i += 2;
      } else if (flag === "-e") {
        const a = assignment(t[i + 1]);
        if (a) out.env.push(a);
        else if (!isWord(t[i + 1])) return false;
        i += 2;
      } else break;
    }
    const image = t[i];
    if (!isWord(image)) return false;
    out.image = (image as WordToken).segs;
    return tail(t, i + 1, out);
  }
  let inner = t;
  if (isOp(t[0], "(")) {
    if (!isWord(t[1], "cd") || !isOp(t[3], "&&") || !isOp(t[t.length - 1], ")")) return false;
    const dir = literalOf(t[2]);
    if (dir === undefined) return false;
    out.workingDirectory = dir;
    inner = t.slice(4, -1);
  }
  if (!isWord(inner[0], "env")) return false;
  let i = 1;
  for (let a = assignment(inner[i]); a; a = assignment(inner[++i])) out.env.push(a);
  return tail(inner, i, out);
}

/** How environment variable names map back to neutral references. */
export interface RefMap {
  /** parameter name → variable name */
  params: Map<string, string>;
  secrets: Set<string>;
}

function segmentOf(name: string, refs: RefMap): Segment | undefined {
  const v = refs.params.get(name);
  if (v !== undefined) return { kind: "var", name: v };
  if (refs.secrets.has(name)) return { kind: "secret", name };
  if (name.startsWith(MATRIX_PREFIX) && name.length > MATRIX_PREFIX.length) return { kind: "matrix", name: name.slice(MATRIX_PREFIX.length) };
  if (name === BUILD_GIT.commit || name === DEPLOY_GIT.commit) return { kind: "git", name: "commit" };
  if (name === BUILD_GIT.branch || name === DEPLOY_GIT.branch) return { kind: "git", name: "branch" };
  return undefined;
}

/** Text where `${NAME}` may be a reference → neutral text. */
export function neutralText(text: string, refs: RefMap): string {
  const segs: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    const seg = segmentOf(m[1]!, refs);
    if (!seg) continue;
    if (m.index! > last) segs.push({ kind: "text", value: text.slice(last, m.index) });
    segs.push(seg);
    last = m.index! + m[0].length;
  }
  if (last < text.length) segs.push({ kind: "text", value: text.slice(last) });
  return formatTemplate(mergeText(segs));
}

/** Shell word segments → neutral text. */
export function neutralWord(segs: readonly WordSeg[], refs: RefMap): string {
  const out: Segment[] = [];
  for (const s of segs) {
    if (s.kind === "text") out.push({ kind: "text", value: s.value });
    else out.push(segmentOf(s.name, refs) ?? { kind: "text", value: `\${${s.name}}` });
  }
  return formatTemplate(mergeText(out));
}

function mergeText(segs: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segs) {
    const last = out[out.length - 1];
    if (s.kind === "text" && last?.kind === "text") last.value += s.value;
    else out.push(s.kind === "text" ? { ...s } : s);
  }
  return out;
}

export const isShell = (s: string): s is Shell => SHELLS.has(s);

/** Names `${NAME}` / `$NAME` a text refers to. */
export function referencedNames(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) out.add(m[1]!);
  return out;
}
