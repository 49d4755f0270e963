/**
 * The small part of POSIX shell that pipeglot writes into OCI build and command specs, and reads
 * back: words made of literal text and `${NAME}` expansions, single quotes, double quotes and
 * backslash escapes, and the operators ; && || ( ) |.
 *
 * Rendering and tokenizing are inverses for everything `renderWord` produces, which is what the
 * "commands survive exactly" property test checks (and, where bash is installed, bash itself).
 */

export type WordSeg =
  | { kind: "text"; value: string; quoted: boolean }
  | { kind: "env"; name: string };

export interface WordToken {
  type: "word";
  segs: WordSeg[];
  /** The word as written. */
  raw: string;
}
export interface OpToken {
  type: "op";
  op: ";" | "&&" | "||" | "(" | ")" | "|" | "\n";
}
export type Token = WordToken | OpToken;

import { shGlob, shWord } from "@pipeglot/core";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Quote literal text for the shell: bare when it is safe, else in single quotes. */
export const quoteLiteral = shWord;

/** A shell word from segments: literal parts quoted, expansions as "${NAME}". */
export function renderWord(segs: readonly WordSeg[]): string {
  if (segs.length === 0) return "''";
  let out = "";
  let pending = "";
  const flush = () => {
    if (pending) out += quoteLiteral(pending);
    pending = "";
  };
  for (const s of segs) {
    if (s.kind === "text") pending += s.value;
    else {
      flush();
      out += `"\${${s.name}}"`;
    }
  }
  flush();
  return out || "''";
}

/** A glob pattern word (for [[ x == PAT ]]): `*` and `?` stay bare, everything else is quoted. */
export const renderPattern = (glob: string): string => shGlob(glob.replace(/\*\*+/g, "*"));

/** Read a pattern word back: bare `*`/`?` are glob characters. */
export function patternOf(w: WordToken): string {
  return w.segs.map((s) => (s.kind === "text" ? s.value : `\${${s.name}}`)).join("");
}

/** The literal value of a word, or undefined when it holds an expansion. */
export function literalOf(w: Token | undefined): string | undefined {
  if (!w || w.type !== "word") return undefined;
  let out = "";
  for (const s of w.segs) {
    if (s.kind !== "text") return undefined;
    out += s.value;
  }
  return out;
}

/**
 * Tokenize shell text. Returns undefined for text outside the supported subset (unterminated
 * quotes, here-documents, command substitution inside words), so that callers fall back to
 * treating the command as opaque.
 */
export function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  let segs: WordSeg[] | undefined;
  let start = 0;
  const addText = (value: string, quoted: boolean) => {
    segs ??= [];
    const last = segs[segs.length - 1];
    if (last && last.kind === "text" && last.quoted === quoted) last.value += value;
    else segs.push({ kind: "text", value, quoted });
  };
  const addEnv = (name: string) => {
    segs ??= [];
    segs.push({ kind: "env", name });
  };
  const endWord = () => {
    if (segs) tokens.push({ type: "word", segs, raw: text.slice(start, i) });
    segs = undefined;
  };
  const beginWord = () => {
    if (!segs) {
      segs = [];
      start = i;
    }
  };
  /** `$` at position i: ${NAME}, $NAME, or a literal `$`. Returns false for unsupported forms. */
  const dollar = (quoted: boolean): boolean => {
    const next = text[i + 1];
    if (next === "{") {
      const close = text.indexOf("}", i + 2);
      const name = close < 0 ? "" : text.slice(i + 2, close);
      if (close < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return false;
      addEnv(name);
      i = close + 1;
      return true;
    }
    if (next === "(") return false;
    const m = ENV_NAME.exec(text.slice(i + 1));
    if (m) {
      addEnv(m[0]);
      i += 1 + m[0].length;
      return true;
    }
    addText("$", quoted);
    i++;
    return true;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t") {
      endWord();
      i++;
      continue;
    }
    if (c === "\n" || c === ";" || c === "(" || c === ")") {
      endWord();
      tokens.push({ type: "op", op: c as OpToken["op"] });
      i++;
      continue;
    }
    if (c === "&" || c === "|") {
      endWord();
      if (text[i + 1] === c) {
        tokens.push({ type: "op", op: (c + c) as OpToken["op"] });
        i += 2;
      } else if (c === "|") {
        tokens.push({ type: "op", op: "|" });
        i++;
      } else return undefined;
      continue;
    }
    beginWord();
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return undefined;
      addText(text.slice(i + 1, close), true);
      i = close + 1;
      continue;
    }
    if (c === '"') {
      i++;
      let closed = false;
      while (i < text.length) {
        const d = text[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === "\\" && i + 1 < text.length && '$`"\\\n'.includes(text[i + 1]!)) {
          if (text[i + 1] !== "\n") addText(text[i + 1]!, true);
          i += 2;
          continue;
        }
        if (d === "`") return undefined;
        if (d === "$") {
          if (!dollar(true)) return undefined;
          continue;
        }
        addText(d, true);
        i++;
      }
      if (!closed) return undefined;
      // An empty "" still makes a word.
      addText("", true);
      continue;
    }
    if (c === "\\") {
      if (i + 1 >= text.length) return undefined;
      if (text[i + 1] !== "\n") addText(text[i + 1]!, true);
      i += 2;
      continue;
    }
    if (c === "`" || c === "<" || c === ">") return undefined;
    if (c === "$") {
      if (!dollar(false)) return undefined;
      continue;
    }
    addText(c, false);
    i++;
  }
  endWord();
  // Drop empty quoted text segments that only marked a word.
  for (const t of tokens) if (t.type === "word") t.segs = t.segs.filter((s, k, all) => !(s.kind === "text" && s.value === "" && all.length > 1));
  return tokens;
}

export const isWord = (t: Token | undefined, value?: string): t is WordToken =>
  !!t && t.type === "word" && (value === undefined || literalOf(t) === value);
export const isOp = (t: Token | undefined, op: OpToken["op"]): boolean => !!t && t.type === "op" && t.op === op;
