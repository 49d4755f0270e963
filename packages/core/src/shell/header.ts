/**
 * The one header format for the metadata pipeglot embeds in what it generates (a build file, a
 * wrapper script, a wrapped command): one comment line
 *
 *   # pipeglot: {json}
 *
 * that a shell (and YAML) ignores and import reads back. The JSON is one object on one line
 * (JSON.stringify escapes newlines), so the header never spans lines.
 */

/** What every header line starts with. */
export const HEADER_PREFIX = "# pipeglot: ";

const HEADER = /^# pipeglot: (\{.*\})\s*$/;
/** One provider's wrappers written before the one format said `# pipeglot {json}` (no colon). */
const LEGACY_HEADER = /^# pipeglot (\{.*\})\s*$/;

/** The header line for `meta` (no trailing newline). */
export const headerLine = (meta: object): string => HEADER_PREFIX + JSON.stringify(meta);

/** `body` with the header line for `meta` before it. */
export const withHeader = (meta: object, body: string): string => `${headerLine(meta)}\n${body}`;

/** The metadata of one line when it is a header (a JSON object), else undefined. */
export function parseHeaderLine(line: string): Record<string, unknown> | undefined {
  const m = HEADER.exec(line) ?? LEGACY_HEADER.exec(line);
  if (!m) return undefined;
  try {
    const v = JSON.parse(m[1]!) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The header of a generated text. `anywhere`: the first header line among the text's lines (a
 * build file's comment may follow other comments); otherwise only the first line counts.
 */
export function readHeader(text: string, anywhere = false): Record<string, unknown> | undefined {
  const lines = anywhere ? text.split("\n") : [text.split("\n", 1)[0]!];
  for (const l of lines) {
    if (!l.startsWith("# pipeglot")) continue;
    const meta = parseHeaderLine(l);
    if (meta || !anywhere) return meta;
  }
  return undefined;
}

/** A text that starts with a header: its metadata and the text after the header line. */
export function splitHeader(text: string): { meta: Record<string, unknown>; body: string } | undefined {
  const nl = text.indexOf("\n");
  const meta = parseHeaderLine(nl < 0 ? text : text.slice(0, nl));
  return meta ? { meta, body: nl < 0 ? "" : text.slice(nl + 1) } : undefined;
}
