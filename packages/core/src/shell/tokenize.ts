/**
 * The small part of POSIX shell that pipeglot writes into generated scripts and reads back: words
 * made of literal text and `${NAME}` expansions, single quotes, double quotes and backslash
 * escapes, and the operators ; && || ( ) | and newline.
 *
 * Rendering and tokenizing are inverses for everything `renderWord` produces (checked by the
 * property tests in this folder, against bash itself).
 */
import { shGlob, shWord } from "./quote.js";

export type WordSeg = { kind: "text"; value: string; quoted: boolean } | { kind: "env"; name: string };

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

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** A shell word from segments: literal parts quoted (bare when safe), expansions as "${NAME}". */
export function renderWord(segs: readonly WordSeg[]): string {
  let out = "";
  let pending = "";
  const flush = () => {
    if (pending) out += shWord(pending);
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

/** The literal value of a word, or undefined when it holds an expansion (or is no word). */
export function literalOf(w: Token | undefined): string | undefined {
  if (!w || w.type !== "word") return undefined;
  let out = "";
  for (const s of w.segs) {
    if (s.kind !== "text") return undefined;
    out += s.value;
  }
  return out;
}

export const isWord = (t: Token | undefined, value?: string): t is WordToken => !!t && t.type === "word" && (value === undefined || literalOf(t) === value);
export const isOp = (t: Token | undefined, op: OpToken["op"]): boolean => !!t && t.type === "op" && t.op === op;

/** Thrown inside the lexer for text outside the subset; tokenize turns it into undefined. */
class Unsupported extends Error {}

/** The tokenizer's state: the text, the position, the tokens so far and the word being read. */
class Lexer {
  readonly tokens: Token[] = [];
  i = 0;
  private segs: WordSeg[] | undefined;
  private start = 0;
  constructor(readonly text: string) {}

  addText(value: string, quoted: boolean): void {
    const segs = (this.segs ??= []);
    const last = segs[segs.length - 1];
    if (last && last.kind === "text" && last.quoted === quoted) last.value += value;
    else segs.push({ kind: "text", value, quoted });
  }
  addEnv(name: string): void {
    (this.segs ??= []).push({ kind: "env", name });
  }
  beginWord(): void {
    if (!this.segs) {
      this.segs = [];
      this.start = this.i;
    }
  }
  endWord(): void {
    if (this.segs) this.tokens.push({ type: "word", segs: this.segs, raw: this.text.slice(this.start, this.i) });
    this.segs = undefined;
  }
  op(op: OpToken["op"], length: number): void {
    this.endWord();
    this.tokens.push({ type: "op", op });
    this.i += length;
  }
}

/** `$` at the lexer's position: ${NAME}, $NAME, or a literal `$`. */
function dollar(lx: Lexer, quoted: boolean): void {
  const { text, i } = lx;
  const next = text[i + 1];
  if (next === "{") {
    const close = text.indexOf("}", i + 2);
    const name = close < 0 ? "" : text.slice(i + 2, close);
    if (close < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Unsupported();
    lx.addEnv(name);
    lx.i = close + 1;
    return;
  }
  if (next === "(") throw new Unsupported();
  const m = ENV_NAME.exec(text.slice(i + 1));
  if (m) {
    lx.addEnv(m[0]);
    lx.i += 1 + m[0].length;
    return;
  }
  lx.addText("$", quoted);
  lx.i++;
}

/** A double-quoted string starting at the lexer's position. */
function doubleQuoted(lx: Lexer): void {
  const { text } = lx;
  lx.i++;
  while (lx.i < text.length) {
    const d = text[lx.i]!;
    if (d === '"') {
      lx.i++;
      // An empty "" still makes a word.
      lx.addText("", true);
      return;
    }
    if (d === "\\" && lx.i + 1 < text.length && '$`"\\\n'.includes(text[lx.i + 1]!)) {
      if (text[lx.i + 1] !== "\n") lx.addText(text[lx.i + 1]!, true);
      lx.i += 2;
    } else if (d === "`") throw new Unsupported();
    else if (d === "$") dollar(lx, true);
    else {
      lx.addText(d, true);
      lx.i++;
    }
  }
  throw new Unsupported();
}

/** One operator at the lexer's position, if there is one there (true: consumed). */
function operator(lx: Lexer, c: string): boolean {
  if (c === " " || c === "\t") {
    lx.endWord();
    lx.i++;
    return true;
  }
  if (c === "\n" || c === ";" || c === "(" || c === ")") lx.op(c, 1);
  else if (c === "&" || c === "|") {
    if (lx.text[lx.i + 1] === c) lx.op(c === "&" ? "&&" : "||", 2);
    else if (c === "|") lx.op("|", 1);
    else throw new Unsupported();
  } else return false;
  return true;
}

/** One piece of a word at the lexer's position. */
function wordPart(lx: Lexer, c: string): void {
  const { text } = lx;
  lx.beginWord();
  if (c === "'") {
    const close = text.indexOf("'", lx.i + 1);
    if (close < 0) throw new Unsupported();
    lx.addText(text.slice(lx.i + 1, close), true);
    lx.i = close + 1;
  } else if (c === '"') doubleQuoted(lx);
  else if (c === "\\") {
    if (lx.i + 1 >= text.length) throw new Unsupported();
    if (text[lx.i + 1] !== "\n") lx.addText(text[lx.i + 1]!, true);
    lx.i += 2;
  } else if (c === "`" || c === "<" || c === ">") throw new Unsupported();
  else if (c === "$") dollar(lx, false);
  else {
    lx.addText(c, false);
    lx.i++;
  }
}

/**
 * Tokenize shell text. Returns undefined for text outside the supported subset (unterminated
 * quotes, redirections and here-documents, command substitution), so that callers fall back to
 * treating the command as opaque.
 */
export function tokenize(text: string): Token[] | undefined {
  const lx = new Lexer(text);
  try {
    while (lx.i < text.length) {
      const c = text[lx.i]!;
      if (!operator(lx, c)) wordPart(lx, c);
    }
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  lx.endWord();
  // Drop empty quoted text segments that only marked a word.
  for (const t of lx.tokens) if (t.type === "word") t.segs = t.segs.filter((s, _k, all) => !(s.kind === "text" && s.value === "" && all.length > 1));
  return lx.tokens;
}
