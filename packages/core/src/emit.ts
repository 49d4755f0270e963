/**
 * Serializers every compiler uses, so that output is byte-stable: JSON with two-space indent and a
 * final newline; YAML through the `yaml` library with no line folding (commands stay byte-exact).
 */
import { stringify, type ToStringOptions } from "yaml";

export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

const YAML_OPTS: ToStringOptions = { lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: true, singleQuote: false };

/** YAML text; `header` lines are written as comments first. */
export function toYaml(value: unknown, header: readonly string[] = []): string {
  const body = stringify(value, { ...YAML_OPTS, aliasDuplicateObjects: false });
  return header.map((h) => `# ${h}`.trimEnd() + "\n").join("") + body;
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
