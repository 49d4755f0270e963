/**
 * The one text order of generated output: UTF-16 code units, as `<` compares strings — the same on
 * every machine and locale (localeCompare is neither), so that the same input gives the same bytes.
 */

/** -1, 0 or 1 as `a` sorts before, with or after `b`. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A comparator of `T`s by a text key: `list.sort(byText((f) => f.path))`. */
export const byText =
  <T>(key: (t: T) => string) =>
  (a: T, b: T): number =>
    compareText(key(a), key(b));
