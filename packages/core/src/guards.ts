/** A plain object read from JSON or YAML: what isObject narrows to. */
export type Obj = Record<string, unknown>;

/** A plain object (not null, not an array): the shape every JSON/YAML walker checks for. */
export function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
