/**
 * A line diff of two texts in unified format (`diff -u`, `git diff`), for resources whose body is
 * text (files the pipeline reads from the repository). Computed by the plan; renderers print it.
 */

/** One line of the edit script: kept (" "), removed ("-") or added ("+"). */
interface Op {
  op: " " | "-" | "+";
  line: string;
  /** 1-based line numbers in the old and the new text (the one that applies). */
  a: number;
  b: number;
}

/** The middle parts (after common prefix and suffix) larger than this many cells are replaced wholesale. */
const MAX_CELLS = 25_000_000;

const splitLines = (s: string | undefined): string[] => {
  if (s === undefined || s === "") return [];
  const lines = s.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
};

/** The edit script of the middle parts, from a longest common subsequence table. */
function middle(a: readonly string[], b: readonly string[]): (" " | "-" | "+")[] {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_CELLS || n === 0 || m === 0) return [...Array<"-">(n).fill("-"), ...Array<"+">(m).fill("+")];
  const w = m + 1;
  const t = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) t[i * w + j] = a[i] === b[j] ? t[(i + 1) * w + j + 1]! + 1 : Math.max(t[(i + 1) * w + j]!, t[i * w + j + 1]!);
  const ops: (" " | "-" | "+")[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push(" ");
      i++;
      j++;
    } else if (t[(i + 1) * w + j]! >= t[i * w + j + 1]!) {
      ops.push("-");
      i++;
    } else {
      ops.push("+");
      j++;
    }
  }
  while (i++ < n) ops.push("-");
  while (j++ < m) ops.push("+");
  return ops;
}

function script(a: readonly string[], b: readonly string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const kinds = [...Array<" ">(pre).fill(" "), ...middle(a.slice(pre, a.length - suf), b.slice(pre, b.length - suf)), ...Array<" ">(suf).fill(" ")];
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  for (const op of kinds) {
    ops.push({ op, line: op === "+" ? b[j]! : a[i]!, a: i + 1, b: j + 1 });
    if (op !== "+") i++;
    if (op !== "-") j++;
  }
  return ops;
}

/** `@@ -l,s +l,s @@` of a hunk (an empty side starts at the line before it, as diff prints it). */
function header(h: Op[]): string {
  const as = h.filter((o) => o.op !== "+").length;
  const bs = h.filter((o) => o.op !== "-").length;
  const aStart = as ? h.find((o) => o.op !== "+")!.a : h[0]!.a - 1;
  const bStart = bs ? h.find((o) => o.op !== "-")!.b : h[0]!.b - 1;
  return `@@ -${aStart},${as} +${bStart},${bs} @@`;
}

/**
 * `before` → `after` as a unified diff with `context` lines around each change; "" when the texts
 * are equal. `before` undefined is a new file (`--- /dev/null`), `after` undefined a removed one.
 */
export function unifiedDiff(before: string | undefined, after: string | undefined, path: string, context = 3): string {
  if (before === after) return "";
  const ops = script(splitLines(before), splitLines(after));
  const changed = ops.flatMap((o, k) => (o.op === " " ? [] : [k]));
  const lines = [before === undefined ? "--- /dev/null" : `--- a/${path}`, after === undefined ? "+++ /dev/null" : `+++ b/${path}`];
  // Changes closer than 2 × context lines share a hunk.
  const groups: number[][] = [];
  for (const k of changed) {
    const g = groups.at(-1);
    if (g && k - g.at(-1)! <= 2 * context) g.push(k);
    else groups.push([k]);
  }
  for (const g of groups) {
    const h = ops.slice(Math.max(0, g[0]! - context), Math.min(ops.length, g.at(-1)! + context + 1));
    lines.push(header(h), ...h.map((o) => o.op + o.line));
  }
  if (!groups.length) lines.push("(only the newline at the end of the file differs)");
  return lines.join("\n") + "\n";
}
