/**
 * The one POSIX single-quote helper every provider's compiler uses when it puts data (a path, a
 * name, a message, a glob's literal part) into a generated shell script: inside single quotes
 * nothing is special, and a quote is written as '\'' (close, escaped quote, reopen).
 */

/** `s` as one POSIX shell word that bash, sh and dash read back byte for byte. */
export const shQuote = (s: string): string => `'${s.split("'").join(`'\\''`)}'`;

/** Like shQuote, but bare when the text has nothing the shell treats specially (readable output). */
export const shWord = (s: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : shQuote(s));

/**
 * A glob as one shell word: `*`, `**` and `?` stay bare (so the shell expands them), everything
 * else is quoted. `[`…`]` classes are quoted too: they match themselves, never run.
 */
export const shGlob = (glob: string): string =>
  glob
    .split(/(\*+|\?)/)
    .map((p) => (/^(\*+|\?)$/.test(p) ? p : p ? shWord(p) : ""))
    .join("") || "''";

/** The inverse of shQuote: the text of a word shQuote wrote, or undefined when `q` is not exactly one. */
export function shUnquote(q: string): string | undefined {
  if (q.length < 2 || !q.startsWith("'") || !q.endsWith("'")) return undefined;
  const s = q.slice(1, -1).split(`'\\''`).join("'");
  return shQuote(s) === q ? s : undefined;
}
