/**
 * Maps JSON pointers to positions in the YAML text they came from.
 */
import { isMap, isSeq, isScalar, isPair, type Document, type LineCounter, type Node } from "yaml";
import { parsePointer } from "./diagnostics.js";

export interface Position {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface SourceMap {
  readonly file: string;
  /** Position of the value at `ptr`, or of its nearest existing ancestor. `key: true` points at the key instead. */
  locate(ptr: string, opts?: { key?: boolean }): Position;
  /** Position of `offset` characters into the string scalar at `ptr`, when it can be found in the source. */
  locateInString(ptr: string, needle: string): Position;
  /**
   * Position of the character at `offset` of the string value at `ptr` (text embedded in text, such
   * as an inline buildspec), when the source lets it be worked out: a literal block scalar (`|`) or a
   * one-line quoted or plain scalar (JSON strings included). Undefined otherwise.
   */
  locateInValue?(ptr: string, offset: number): Position | undefined;
}

/** A source map for data that did not come from YAML text: everything points at line 1. */
export function flatSourceMap(file: string): SourceMap {
  const pos = { file, line: 1, column: 1 };
  return { file, locate: () => pos, locateInString: () => pos };
}

export function yamlSourceMap(file: string, text: string, doc: Document, lc: LineCounter): SourceMap {
  const at = (offset: number, end?: number): Position => {
    const p = lc.linePos(offset);
    const out: Position = { file, line: p.line, column: p.col };
    if (end !== undefined && end > offset) {
      const e = lc.linePos(end);
      out.endLine = e.line;
      out.endColumn = e.col;
    }
    return out;
  };
  const walk = (ptr: string): { node: Node | null; key: Node | null; exact: boolean } => {
    let node: Node | null = (doc.contents as Node | null) ?? null;
    let key: Node | null = null;
    for (const seg of parsePointer(ptr)) {
      if (node && isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
        if (!pair) return { node, key, exact: false };
        key = pair.key as Node;
        node = (pair.value as Node | null) ?? (pair.key as Node);
      } else if (node && isSeq(node)) {
        const item = node.items[Number(seg)] as Node | undefined;
        if (!item) return { node, key, exact: false };
        key = null;
        node = item;
      } else {
        return { node, key, exact: false };
      }
    }
    return { node, key, exact: true };
  };
  const rangeOf = (n: Node | null): Position => {
    if (!n || !n.range) return { file, line: 1, column: 1 };
    // For collections, point at the start but keep the end on the first line: a caret under the whole block is noise.
    const [start, valueEnd] = n.range;
    const firstLineEnd = text.indexOf("\n", start);
    const end = isScalar(n) ? valueEnd : firstLineEnd < 0 ? valueEnd : Math.min(valueEnd, firstLineEnd);
    return at(start, end);
  };
  return {
    file,
    locate(ptr, opts) {
      const { node, key, exact } = walk(ptr);
      if (opts?.key && exact && key) return rangeOf(key);
      return rangeOf(node);
    },
    locateInValue(ptr, offset) {
      const { node, exact } = walk(ptr);
      if (!exact || !node || !isScalar(node) || typeof node.value !== "string" || !node.range) return undefined;
      const raw = text.slice(node.range[0], node.range[1]);
      const i = rawOffset(raw, String(node.type ?? ""), node.value, offset);
      return i === undefined ? undefined : at(node.range[0] + i);
    },
    locateInString(ptr, needle) {
      const { node, exact } = walk(ptr);
      if (!exact || !node || !node.range) return rangeOf(node);
      const src = text.slice(node.range[0], node.range[1]);
      const i = src.indexOf(needle);
      if (i < 0) return rangeOf(node);
      return at(node.range[0] + i, node.range[0] + i + needle.length);
    },
  };
}

/** Where the character at `offset` of a scalar's value is in its source `raw`, for the forms whose layout is simple. */
function rawOffset(raw: string, type: string, value: string, offset: number): number | undefined {
  if (offset < 0 || offset > value.length) return undefined;
  if (type === "BLOCK_LITERAL") return literalOffset(raw, value, offset);
  if (raw.includes("\n")) return undefined;
  if (type === "PLAIN") return offset;
  if (type === "QUOTE_SINGLE") return quotedOffset(raw, offset, (i) => [raw.startsWith("''", i) ? 2 : 1, 1]);
  if (type === "QUOTE_DOUBLE") return quotedOffset(raw, offset, (i) => escapeLength(raw, i));
  return undefined;
}

/** A literal block keeps its lines: value line k is source line k after the header, less the indentation. */
function literalOffset(raw: string, value: string, offset: number): number | undefined {
  const header = raw.indexOf("\n");
  if (header < 0) return undefined;
  // An explicit indentation indicator (`|2`) counts from the parent's indentation: not worked out here.
  if (/^[|][-+]?[1-9]|^[|][1-9]/.test(raw)) return undefined;
  const lines = raw.slice(header + 1).split("\n");
  const first = lines.find((l) => l.trim() !== "");
  const indent = first ? first.length - first.trimStart().length : 0;
  const before = value.slice(0, offset).split("\n");
  const k = before.length - 1;
  if (k >= lines.length) return undefined;
  let start = header + 1;
  for (let j = 0; j < k; j++) start += lines[j]!.length + 1;
  return start + indent + before[k]!.length;
}

/** One-line quoted scalar: count decoded characters (each escape is one, `\U` two) up to `offset`. */
function quotedOffset(raw: string, offset: number, step: (at: number) => [source: number, units: number]): number | undefined {
  let i = 1;
  for (let n = 0; n < offset;) {
    if (i >= raw.length - 1) return undefined;
    const [len, units] = step(i);
    n += units;
    i += len;
  }
  return i;
}

/** Source characters and UTF-16 units of the character at `i` of a double-quoted scalar. */
function escapeLength(raw: string, i: number): [number, number] {
  if (raw[i] !== "\\") return [1, 1];
  const c = raw[i + 1];
  return c === "x" ? [4, 1] : c === "u" ? [6, 1] : c === "U" ? [10, 2] : [2, 1];
}
