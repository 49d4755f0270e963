/**
 * The neutral expression syntax inside step commands and env values.
 *
 *   ${{ vars.NAME }}     a pipeline variable
 *   ${{ secrets.NAME }}  a secret reference (the provider injects the value; pipeglot never sees it)
 *   ${{ matrix.NAME }}   the current matrix value
 *   ${{ git.commit }}    the commit being built
 *   ${{ git.branch }}    the branch being built
 *   $${{                 a literal "${{" (the escape)
 *   ${{ '...' }}         a literal string ('' for a quote): how a "$" right before a reference is written
 *
 * Everything else is literal text and reaches the provider's shell byte for byte (each compiler
 * escapes what its own platform would otherwise interpret).
 */
export type Segment =
  | { kind: "text"; value: string }
  | { kind: "var"; name: string }
  | { kind: "secret"; name: string }
  | { kind: "matrix"; name: string }
  | { kind: "git"; name: "commit" | "branch" };

export interface ExpressionError {
  /** Offset of "${{" in the text. */
  offset: number;
  length: number;
  message: string;
}

const REF = /^\s*(vars|secrets|matrix|git)\.([A-Za-z_][A-Za-z0-9_]*)\s*$/;
const LITERAL = /^\s*'((?:[^']|'')*)'\s*$/;

/** Parse text into literal segments and references. Never throws; malformed references are reported and kept as text. */
export function parseTemplate(text: string): { segments: Segment[]; errors: ExpressionError[] } {
  const segments: Segment[] = [];
  const errors: ExpressionError[] = [];
  let buf = "";
  let i = 0;
  const flush = () => {
    if (buf) segments.push({ kind: "text", value: buf });
    buf = "";
  };
  while (i < text.length) {
    // Literal text up to the next "${{" (or its "$${{" escape) is taken in one slice: a character at
    // a time would build a rope of one node per character (minutes and gigabytes for a long script).
    const next = nextOpening(text, i);
    if (next > i) {
      buf += text.slice(i, next);
      i = next;
      if (i >= text.length) break;
    }
    if (text.startsWith("$${{", i)) {
      buf += "${{";
      i += 4;
      continue;
    }
    if (text.startsWith("${{", i)) {
      const end = text.indexOf("}}", i + 3);
      if (end < 0) {
        errors.push({ offset: i, length: text.length - i, message: "unterminated ${{ expression (write $${{ for a literal ${{)" });
        buf += text.slice(i);
        break;
      }
      const inner = text.slice(i + 3, end);
      const lit = LITERAL.exec(inner);
      if (lit) {
        buf += lit[1]!.replace(/''/g, "'");
        i = end + 2;
        continue;
      }
      const m = REF.exec(inner);
      if (!m) {
        errors.push({
          offset: i,
          length: end + 2 - i,
          message: `unknown expression \${{${inner}}}: expected vars.NAME, secrets.NAME, matrix.NAME, git.commit or git.branch (write $\${{ for a literal \${{)`,
        });
        buf += text.slice(i, end + 2);
      } else {
        const ns = m[1] as "vars" | "secrets" | "matrix" | "git";
        const nm = m[2]!;
        if (ns === "git" && nm !== "commit" && nm !== "branch") {
          errors.push({ offset: i, length: end + 2 - i, message: `unknown git.${nm}: expected git.commit or git.branch` });
          buf += text.slice(i, end + 2);
        } else {
          flush();
          if (ns === "vars") segments.push({ kind: "var", name: nm });
          else if (ns === "secrets") segments.push({ kind: "secret", name: nm });
          else if (ns === "matrix") segments.push({ kind: "matrix", name: nm });
          else segments.push({ kind: "git", name: nm as "commit" | "branch" });
        }
      }
      i = end + 2;
      continue;
    }
    buf += text[i];
    i++;
  }
  flush();
  return { segments, errors };
}

/** Where the next "$${{" or "${{" at or after `from` starts (text.length when there is none). */
function nextOpening(text: string, from: number): number {
  const at = text.indexOf("${{", from);
  if (at < 0) return text.length;
  return at > from && text[at - 1] === "$" ? at - 1 : at;
}

/** Escape literal text so that parseTemplate gives it back unchanged as one text segment. */
export function escapeLiteral(text: string): string {
  return text.split("${{").join("$${{");
}

/** Write segments back in the neutral syntax (the inverse of parseTemplate). */
export function formatTemplate(segments: readonly Segment[]): string {
  // Merge adjacent text first: escaping must see the whole literal run.
  const merged: Segment[] = [];
  for (const s of segments) {
    const last = merged[merged.length - 1];
    if (s.kind === "text" && last?.kind === "text") merged[merged.length - 1] = { kind: "text", value: last.value + s.value };
    else if (s.kind !== "text" || s.value !== "") merged.push(s);
  }
  return merged
    .map((s, i) => {
      switch (s.kind) {
        case "text": {
          const next = merged[i + 1];
          const dollars = /\$+$/.exec(s.value)?.[0] ?? "";
          // A "$" right before a reference would read as the $${{ escape: write those dollars as a literal string.
          if (next && next.kind !== "text" && dollars) return escapeLiteral(s.value.slice(0, -dollars.length)) + `\${{ '${dollars}' }}`;
          return escapeLiteral(s.value);
        }
        case "var":
          return `\${{ vars.${s.name} }}`;
        case "secret":
          return `\${{ secrets.${s.name} }}`;
        case "matrix":
          return `\${{ matrix.${s.name} }}`;
        case "git":
          return `\${{ git.${s.name} }}`;
      }
    })
    .join("");
}

export interface TemplateRenderer {
  text(value: string): string;
  var(name: string): string;
  secret(name: string): string;
  matrix(name: string): string;
  git(name: "commit" | "branch"): string;
}

/** Render neutral text for a provider: each segment through the provider's renderer. */
export function renderTemplate(text: string, r: TemplateRenderer): string {
  return parseTemplate(text)
    .segments.map((s) => {
      switch (s.kind) {
        case "text":
          return r.text(s.value);
        case "var":
          return r.var(s.name);
        case "secret":
          return r.secret(s.name);
        case "matrix":
          return r.matrix(s.name);
        case "git":
          return r.git(s.name);
      }
    })
    .join("");
}

/** Names referenced in text, by kind. */
export function references(text: string): { vars: string[]; secrets: string[]; matrix: string[] } {
  const out = { vars: [] as string[], secrets: [] as string[], matrix: [] as string[] };
  for (const s of parseTemplate(text).segments) {
    if (s.kind === "var") out.vars.push(s.name);
    else if (s.kind === "secret") out.secrets.push(s.name);
    else if (s.kind === "matrix") out.matrix.push(s.name);
  }
  return out;
}
