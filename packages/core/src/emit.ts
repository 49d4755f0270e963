/**
 * Serializers every compiler uses, so that output is byte-stable: JSON with two-space indent and a
 * final newline; YAML through the `yaml` library with no line folding (commands stay byte-exact).
 */
import { byText } from "@pipeglot/schema";
import { Document, isScalar, parse, stringify, visit, type ToStringOptions } from "yaml";

export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

const YAML_OPTS: ToStringOptions = { lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: true, singleQuote: false };

/**
 * True when text surely reads back byte for byte from the library's block style: printable ASCII
 * and tabs only, not starting with a blank, and no line of only spaces or tabs. One pass over the
 * text; what it cannot vouch for is checked by a round trip.
 */
export function blockStyleSafe(text: string): boolean {
  let blank = true; // the current line holds only spaces and tabs so far
  let spaces = false; // ... and at least one of them
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (spaces && blank) return false;
      blank = true;
      spaces = false;
    } else if (c === 32 || c === 9) {
      if (i === 0) return false;
      spaces = true;
    } else if (c > 32 && c < 127) blank = false;
    else return false;
  }
  return !(spaces && blank);
}

/** True when a multi-line string would not read back byte for byte from the library's block style. */
function blockStyleLoses(text: string): boolean {
  if (blockStyleSafe(text)) return false;
  try {
    return parse(stringify([text], YAML_OPTS))[0] !== text;
  } catch {
    return true;
  }
}

/**
 * YAML text; `header` lines are written as comments first. Multi-line strings are written as block
 * scalars, except the rare ones a block scalar cannot carry exactly (e.g. " \n", whose only line is
 * spaces): those are double-quoted, so that every command reads back byte for byte.
 */
export function toYaml(value: unknown, header: readonly string[] = []): string {
  const doc = new Document(value, { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === "string" && node.value.includes("\n") && blockStyleLoses(node.value)) node.type = "QUOTE_DOUBLE";
    },
  });
  return header.map((h) => `# ${h}`.trimEnd() + "\n").join("") + doc.toString(YAML_OPTS);
}

/** Recursively sort object keys (for outputs whose key order is not meaningful). */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    ) as T;
  }
  return value;
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(v: unknown): string {
  if (v === undefined) return "null";
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(byText(([k]) => k));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(",")}}`;
}

/** Equal as JSON data (key order and undefined members aside). */
export const deepEqual = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);
