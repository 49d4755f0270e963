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
