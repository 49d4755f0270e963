/** A plain object (not null, not an array): the shape every JSON/YAML walker checks for. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
