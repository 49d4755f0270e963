import { globPattern } from "@pipeglot/core";
/**
 * Neutral branch/tag globs ↔ the single RE2 regex a Cloud Build trigger takes.
 * `**` → `.*`, `*` → `[^/]*`, `?` → `[^/]`, other regex metacharacters escaped; alternatives are
 * joined with `|` and anchored: ^(?:a|b)$ (one glob: ^a$).
 */
/** One glob's regex body: the format's one definition (core). */
const globToRegex = globPattern;

/** What a backslash may escape in a regex globsToRegex wrote. */
const META = /[.+()|[\]{}^$\\]/;

export function globsToRegex(globs: readonly string[]): string {
  if (globs.length === 1) return `^${globToRegex(globs[0]!)}$`;
  return `^(?:${globs.map(globToRegex).join("|")})$`;
}

/**
 * The inverse for regexes written by globsToRegex (exact), and a best effort for others.
 * `exact` is false when the regex uses constructs a glob cannot say.
 */
export function regexToGlobs(regex: string): { globs: string[]; exact: boolean } {
  let r = regex;
  let exact = true;
  const anchoredStart = r.startsWith("^");
  const anchoredEnd = r.endsWith("$") && !r.endsWith("\\$");
  if (anchoredStart) r = r.slice(1);
  if (anchoredEnd) r = r.slice(0, -1);
  if (!anchoredStart || !anchoredEnd) exact = false;
  let alts: string[];
  if (r.startsWith("(?:") && r.endsWith(")") && balancedGroup(r, 3)) alts = splitTop(r.slice(3, -1));
  else if (r.startsWith("(") && r.endsWith(")") && balancedGroup(r, 1)) alts = splitTop(r.slice(1, -1));
  else alts = splitTop(r);
  const globs: string[] = [];
  for (const a of alts) {
    let g = "";
    for (let i = 0; i < a.length; i++) {
      if (a.startsWith("[^/]*", i)) {
        g += "*";
        i += 4;
      } else if (a.startsWith("[^/]", i)) {
        g += "?";
        i += 3;
      } else if (a.startsWith(".*", i)) {
        g += "**";
        i += 1;
      } else if (a.startsWith(".+", i)) {
        g += "**";
        i += 1;
        exact = false;
      } else if (a[i] === "\\" && i + 1 < a.length && META.test(a[i + 1]!)) {
        g += a[i + 1];
        i++;
      } else if (a[i] === "[" || a[i] === ".") {
        exact = false;
        if (a[i] === "[") i = Math.max(i, a.indexOf("]", i + 1));
        if (a[i + 1] === "+" || a[i + 1] === "*") {
          g += "*";
          i++;
        } else g += "?";
      } else if (/[+()|\]{}^$\\?*]/.test(a[i]!)) {
        exact = false;
        if (!g.endsWith("*")) g += "*";
      } else g += a[i];
    }
    if (!anchoredStart) g = "**" + g;
    if (!anchoredEnd) g = g + "**";
    globs.push(g.replace(/\*{3,}/g, "**") || "**");
  }
  return { globs, exact };
}

function balancedGroup(r: string, open: number): boolean {
  let depth = 1;
  for (let i = open; i < r.length; i++) {
    if (r[i] === "\\") {
      i++;
      continue;
    }
    if (r[i] === "(") depth++;
    else if (r[i] === ")") {
      depth--;
      if (depth === 0) return i === r.length - 1;
    }
  }
  return false;
}

function splitTop(r: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cls = false;
  let cur = "";
  for (let i = 0; i < r.length; i++) {
    const c = r[i]!;
    if (c === "\\") {
      cur += c + (r[i + 1] ?? "");
      i++;
      continue;
    }
    if (cls) {
      if (c === "]") cls = false;
    } else if (c === "[") cls = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) {
      out.push(cur);
      cur = "";
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}
