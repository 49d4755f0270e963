/**
 * Keys that a mapping holds twice, with both positions.
 *
 * A YAML or JSON mapping with the same key twice reads differently to different readers: a
 * reviewer sees the first value, most parsers (yaml's toJS, JSON.parse) keep the last one. Every
 * importer parses with `uniqueKeys: false` (so that one duplicate does not hide the rest of the
 * file) and calls `duplicateKeys` to say where both are. JSON input goes through the same YAML
 * parser (JSON is YAML), so its duplicates are found too.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";
import { pointer, type Diagnostic, type Severity } from "./diagnostics.js";

export interface KeyPosition {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface DuplicateKey {
  /** The key as a string (what it becomes in the parsed data), as the repeat spells it. */
  key: string;
  /** How the first occurrence spells it, when another spelling means the same key (`wait_for`, `waitFor`). */
  firstSpelling?: string;
  /** JSON pointer of the mapping that holds the key twice. */
  path: string;
  /** The first occurrence of the key. */
  first: KeyPosition;
  /** A later occurrence (the one whose value a last-wins parser keeps, when it is the last). */
  duplicate: KeyPosition;
}

const MERGE_TAG = "tag:yaml.org,2002:merge";

/**
 * Every repeated key of every mapping in `doc`, in document order. `lc` must be the document's
 * LineCounter. `same` names the key a reader takes a spelling for (Cloud Build reads `wait_for` as
 * `waitFor`), given the keys of the mappings above it; keys are compared as written without it.
 */
export function duplicateKeys(doc: Document, lc: LineCounter, same?: (key: string, path: readonly (string | number)[]) => string): DuplicateKey[] {
  const merge = doc.schema.tags.some((t) => t.tag === MERGE_TAG);
  const at = (n: Node): KeyPosition => {
    const [start, end] = n.range ?? [0, 0];
    const s = lc.linePos(start);
    const e = lc.linePos(Math.max(start, end));
    return { line: s.line, column: s.col, endLine: e.line, endColumn: e.col };
  };
  const out: DuplicateKey[] = [];
  const walk = (n: unknown, path: (string | number)[]): void => {
    if (isAlias(n) || n === null || typeof n !== "object") return;
    if (isSeq(n)) n.items.forEach((it, i) => walk(it, [...path, i]));
    if (!isMap(n)) return;
    const seen = new Map<string, { node: Node; key: string }>();
    for (const it of n.items) {
      if (!isPair(it) || !isScalar(it.key)) continue;
      const key = keyText(it.key.value);
      const as = same ? same(key, path) : key;
      // `<<` under YAML 1.1 merge rules may repeat: each one merges, none replaces another.
      if (!(merge && key === "<<" && (!it.key.type || it.key.type === "PLAIN"))) {
        const prev = seen.get(as);
        if (prev) out.push({ key, ...(prev.key !== key ? { firstSpelling: prev.key } : {}), path: pointer(path), first: at(prev.node), duplicate: at(it.key) });
        else seen.set(as, { node: it.key, key });
      }
      walk(it.value, [...path, key]);
    }
  };
  walk(doc.contents, []);
  return out;
}

/** The string a scalar key becomes in plain data (`1` and `"1"` are the same property). */
function keyText(v: unknown): string {
  if (v === null || v === undefined) return "";
  // With merge keys on, yaml reads a plain `<<` as a symbol.
  if (typeof v === "symbol") return v.description ?? "";
  return typeof v === "string" ? v : String(v);
}

export interface DuplicateKeyOptions {
  file: string;
  code: string;
  /** "error" unless told: the reader and the import would disagree, so the file is not read on. */
  severity?: Severity;
  /** What happens to the file, for the hint ("the file is not imported"). */
  outcome?: string;
  /** Where the text sits inside the file, when it is not the whole file (an inline buildspec). */
  offset?: (p: KeyPosition) => KeyPosition;
  /** Words for a position when `offset` cannot place it in the file ("line 3, column 5 of the buildspec"). */
  where?: (p: KeyPosition) => string;
}

/** One diagnostic per duplicate, at the later occurrence, naming the first one's line and column. */
export function duplicateKeyDiagnostics(dups: readonly DuplicateKey[], opts: DuplicateKeyOptions): Diagnostic[] {
  const place = opts.offset ?? ((p: KeyPosition) => p);
  // `where` words the positions in the text that was parsed; otherwise they are the file's.
  const words = (given: KeyPosition) => (opts.where ? opts.where(given) : `line ${place(given).line}, column ${place(given).column}`);
  return dups.map((d) => {
    const dup = place(d.duplicate);
    const here = opts.where ? ` at ${words(d.duplicate)}` : "";
    return {
      severity: opts.severity ?? "error",
      code: opts.code,
      message: `duplicate key \`${d.key}\`${here}: also at ${words(d.first)}${d.firstSpelling !== undefined ? ` (as \`${d.firstSpelling}\`)` : ""}; a reviewer may read that one, while a parser that keeps the last one takes this one`,
      path: "",
      file: opts.file,
      line: dup.line,
      column: dup.column,
      endLine: dup.endLine,
      endColumn: dup.endColumn,
      hint: `keep one \`${d.key}\`${opts.outcome ? `; ${opts.outcome}` : ""}`,
    };
  });
}
