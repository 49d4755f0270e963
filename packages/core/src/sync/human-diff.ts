/**
 * The human view of a change's body differences, shared by the text and Markdown plans: paths as
 * `.a.b[0]`, multi-line strings (buildspecs, build specs, inline YAML, scripts) as line diffs with
 * context, changed strings in full, pipeglot's bookkeeping left out (JSON keeps it), a create's key
 * attributes and what a delete removes. Lines carry no indentation; the renderer adds it.
 */
import { diffHunks, isMultiline } from "./text-diff.js";
import type { Action, DiffEntry } from "./types.js";

export const pathText = (path: readonly (string | number)[]): string => path.map((x) => (typeof x === "number" ? `[${x}]` : `.${x}`)).join("") || "(root)";

/** One value on one line; long ones cut (only values people did not change: additions, removals, attributes). */
const short = (v: unknown, max = 160): string => {
  const s = JSON.stringify(v) ?? "null";
  return s.length > max ? s.slice(0, max - 1) + "…" : s;
};

const lineCount = (s: string): number => s.replace(/\n$/, "").split("\n").length;

/** A multi-line string added or removed: its lines, each marked. */
const textLines = (sign: "+" | "-", s: string): string[] =>
  s
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => `  ${sign}${l}`);

/** A value as lines of text for a line diff: a string as it is, anything else as JSON. */
const asText = (v: unknown): string => (typeof v === "string" ? v : (JSON.stringify(v) ?? "null"));

/**
 * Two texts with the final newline only where it differs: a value lacks one as often as a file
 * has one, and diff would mark each changed last line with "\ No newline at end of file".
 */
function endings(before: string, after: string): [string, string] {
  const eb = before.endsWith("\n");
  const ea = after.endsWith("\n");
  return eb === ea ? [eb ? before : before + "\n", ea ? after : after + "\n"] : [before, after];
}

function changeLines(p: string, d: DiffEntry): string[] {
  if (isMultiline(d.before) || isMultiline(d.after)) {
    const [before, after] = endings(asText(d.before), asText(d.after));
    return [`~ ${p}:`, ...diffHunks(before, after).map((l) => `  ${l}`)];
  }
  const b = JSON.stringify(d.before) ?? "null";
  const a = JSON.stringify(d.after) ?? "null";
  // Changed values are never cut: the edit may be at their end.
  return b.length + a.length <= 110 ? [`~ ${p}: ${b} → ${a}`] : [`~ ${p}:`, `  - ${b}`, `  + ${a}`];
}

/** The lines of one difference (bookkeeping included: callers filter). */
export function entryLines(d: DiffEntry): string[] {
  const p = pathText(d.path);
  if (d.type === "change") return changeLines(p, d);
  const v = d.type === "add" ? d.after : d.before;
  const sign = d.type === "add" ? "+" : "-";
  if (isMultiline(v)) return [`${sign} ${p}: (${lineCount(v)} lines)`, ...textLines(sign, v)];
  return d.type === "add" ? [`+ ${p} = ${short(v)}`] : [`- ${p} (was ${short(v)})`];
}

/** The differences people review: everything but pipeglot's bookkeeping. */
export const reviewed = (diff: readonly DiffEntry[]): DiffEntry[] => diff.filter((d) => !d.bookkeeping);

/** Containers of tags and labels: a create's or delete's attributes leave them out (they are mostly bookkeeping). */
const TAG_FIELDS: ReadonlySet<string> = new Set(["tags", "Tags", "freeformTags", "definedTags", "labels"]);

/** Attributes shown down to this depth (`.a.b`); deeper objects are summed up. */
const ATTRIBUTE_DEPTH = 2;
/** At most this many attributes; the rest are counted. */
const MAX_ATTRIBUTES = 16;

function attributeLeaves(v: unknown, path: (string | number)[], out: [string, string][]): void {
  if (Array.isArray(v)) {
    // An empty body (a list of nothing yet) has no attributes to show.
    if (path.length === 0 && v.length === 0) return;
    out.push([pathText(path), v.length === 0 ? "[]" : `[${v.length} item${v.length === 1 ? "" : "s"}]`]);
    return;
  }
  if (v !== null && typeof v === "object") {
    if (path.length >= ATTRIBUTE_DEPTH) {
      const n = Object.keys(v).length;
      out.push([pathText(path), `{${n} field${n === 1 ? "" : "s"}}`]);
      return;
    }
    for (const [k, x] of Object.entries(v)) if (!TAG_FIELDS.has(k)) attributeLeaves(x, [...path, k], out);
    return;
  }
  out.push([pathText(path), isMultiline(v) ? `(${lineCount(v)} lines)` : short(v, 100)]);
}

/** A body's key attributes, one `path = value` each: what a create makes or a delete removes. */
export function attributeLines(body: unknown, action: Extract<Action, "create" | "delete">): string[] {
  const leaves: [string, string][] = [];
  attributeLeaves(body, [], leaves);
  const sign = action === "create" ? "+" : "-";
  const shown = leaves.slice(0, MAX_ATTRIBUTES).map(([p, v]) => `${sign} ${p} = ${v}`);
  const rest = leaves.length - shown.length;
  return rest > 0 ? [...shown, `  … and ${rest} more (the whole body: --format json)`] : shown;
}

/** The lines that show one change's body to a reviewer (the change's own diff; never recomputed). */
export function changeBodyLines(c: { action: Action; diff: readonly DiffEntry[] }): string[] {
  if (c.action === "create" || c.action === "delete") {
    const root = c.diff.find((d) => d.path.length === 0);
    const body = root ? (c.action === "create" ? root.after : root.before) : undefined;
    return root ? attributeLines(body, c.action) : reviewed(c.diff).flatMap(entryLines);
  }
  if (c.action !== "update") return [];
  const shown = reviewed(c.diff);
  return shown.flatMap(entryLines);
}

/** The reason of an update as people read it: the reviewed differences counted, the bookkeeping named. */
export function updateReason(diff: readonly DiffEntry[]): string {
  const n = reviewed(diff).length;
  const hidden = diff.length - n;
  if (n === 0 && hidden > 0) return "only pipeglot's bookkeeping tags differ; --format json shows them";
  const text = `${n} difference${n === 1 ? "" : "s"}`;
  return hidden ? `${text}, and pipeglot's bookkeeping tags` : text;
}
