/**
 * What Google's own readers of cloudbuild.yaml accept where strict YAML 1.2 does not.
 *
 * gcloud (PyYAML) and the Cloud Build service (go-yaml) descend from libyaml, which differs from
 * YAML 1.2 (and the `yaml` library) in two ways real configs rely on:
 *  - its scanner starts a plain scalar at `-` whenever the next character is not blank, so
 *    `waitFor: [-]` and `[-, other]` read as the string `"-"` ("start at once"); YAML 1.2 only
 *    starts one before a "safe" character, and `]`, `,`, `}` are not safe in a flow collection
 *    ("Block collections are not allowed within flow collections");
 *  - it does not check indentation inside a flow collection, so JSON-style
 *    `args: [` … lines at column 0 … `]` reads fine; YAML 1.2 wants every line of it indented
 *    more than its key ("Flow sequence in block collection must be sufficiently indented").
 * `lenientText` indents such lines and quotes such dashes before parsing, and says where.
 *
 * Lines never move; columns after a rewritten dash shift by two, and an indented line's by the
 * spaces added.
 */
import { Lexer, parseAllDocuments } from "yaml";
import { parseDurationString, parseLenientDuration, protoDuration } from "../native/build.js";

export interface Leniency {
  /** 1-based. */
  line: number;
  column: number;
  what: string;
}

const CLOSERS = new Set([",", "]", "}"]);

/** The text with both leniencies applied, and where. */
export function lenientText(text: string): { text: string; applied: Leniency[] } {
  const indented = indentFlowLines(text);
  const quoted = quoteFlowDashes(indented.text);
  // Indenting is a reading libyaml would make only if it leaves a text that parses.
  if (indented.applied.length && parseAllDocuments(quoted.text).some((d) => d.errors.length)) return quoteFlowDashes(text);
  return { text: quoted.text, applied: [...indented.applied, ...quoted.applied] };
}

// The lexer's control characters (document start, flow error, scalar) are not source text.
const CONTROL = new Set(["\x02", "\x18", "\x1f"]);
const FLOW_ERROR = "\x18";
const lineOf = (text: string, offset: number) => text.slice(0, offset).split("\n").length;

/** Where the lexer first finds a line of a flow collection indented too little, and where that collection opened. */
function underIndented(text: string): { at: number; open: number } | undefined {
  let offset = 0;
  let depth = 0;
  let open = 0;
  for (const tok of new Lexer().lex(text)) {
    if (tok === FLOW_ERROR) return depth > 0 ? { at: offset, open } : undefined;
    if (CONTROL.has(tok)) continue;
    if (tok === "[" || tok === "{") {
      if (depth === 0) open = offset;
      depth++;
    } else if ((tok === "]" || tok === "}") && depth > 0) depth--;
    offset += tok.length;
  }
  return undefined;
}

/** Lines inside a flow collection indented no more than its key get the spaces libyaml does not ask for. */
function indentFlowLines(text: string): { text: string; applied: Leniency[] } {
  let t = text;
  const applied: Leniency[] = [];
  const opened = new Set<number>();
  let last = -1;
  for (let guard = 0; guard < 10_000; guard++) {
    const e = underIndented(t);
    if (!e) break;
    const lineStart = t.lastIndexOf("\n", e.at - 1) + 1;
    if (lineStart === last) break; // indenting did not help: leave the error to the parser
    last = lineStart;
    const openStart = t.lastIndexOf("\n", e.open - 1) + 1;
    const keyColumn = /^ *(?:- +)*/.exec(t.slice(openStart))![0].length;
    const have = /^ */.exec(t.slice(lineStart))![0].length;
    if (have > keyColumn) break;
    t = t.slice(0, lineStart) + " ".repeat(keyColumn + 1 - have) + t.slice(lineStart);
    const line = lineOf(t, e.open);
    if (!opened.has(line)) {
      opened.add(line);
      applied.push({
        line,
        column: e.open - openStart + 1,
        what: "lines of this flow collection are indented no more than its key; read as Cloud Build reads them (libyaml does not check indentation inside [ ] and { })",
      });
    }
  }
  // Only a reading that resolves every such line is one libyaml would have made.
  return underIndented(t) ? { text, applied: [] } : { text: t, applied };
}

/** The text with every flow-context `-` that ends at `,`, `]` or `}` quoted, and where each was. */
function quoteFlowDashes(text: string): { text: string; applied: Leniency[] } {
  // Lexer control characters (document and scalar markers) and empty scalars are not source text.
  const tokens = [...new Lexer().lex(text)].filter((t) => t !== "" && !(t.length === 1 && t < " " && t !== "\n" && t !== "\t"));
  if (tokens.join("") !== text) return { text, applied: [] };
  let depth = 0;
  let offset = 0;
  const applied: Leniency[] = [];
  const out: string[] = [];
  tokens.forEach((tok, i) => {
    if (tok === "[" || tok === "{") depth++;
    else if ((tok === "]" || tok === "}") && depth > 0) depth--;
    let written = tok;
    if (depth > 0 && tok === "-" && CLOSERS.has(tokens[i + 1] ?? "")) {
      written = '"-"';
      const before = text.slice(0, offset);
      const line = before.split("\n").length;
      applied.push({
        line,
        column: offset - before.lastIndexOf("\n"),
        what: 'an unquoted `-` in a flow sequence was read as the string "-", as Cloud Build reads it',
      });
    }
    out.push(written);
    offset += tok.length;
  });
  return { text: applied.length ? out.join("") : text, applied };
}

/**
 * What Google's config reader accepts beyond the documented form, rewritten in place in the
 * documented form: durations written as Go durations ("30m", "1h30m") become "1800s"; the
 * deprecated `options.workerPool` becomes `options.pool.name`. Returns what was rewritten
 * (pointers relative to the build), with a message for each.
 */
export function canonicalBuild(build: Record<string, unknown>): { ptr: string; message: string }[] {
  const changed: { ptr: string; message: string }[] = [];
  const fix = (obj: Record<string, unknown>, key: string, ptr: string) => {
    const v = obj[key];
    if (typeof v !== "string" || parseDurationString(v) !== undefined) return;
    const s = parseLenientDuration(v);
    if (s === undefined) return;
    obj[key] = protoDuration(s);
    changed.push({ ptr, message: `duration ${JSON.stringify(v)} (a Go duration, which Cloud Build accepts) read as ${protoDuration(s)}` });
  };
  fix(build, "timeout", "/timeout");
  fix(build, "queueTtl", "/queueTtl");
  if (Array.isArray(build.steps))
    build.steps.forEach((st: unknown, i) => {
      if (st && typeof st === "object" && !Array.isArray(st)) fix(st as Record<string, unknown>, "timeout", `/steps/${i}/timeout`);
    });
  const options = build.options;
  if (options && typeof options === "object" && !Array.isArray(options)) {
    const o = options as Record<string, unknown>;
    const pool = o.pool && typeof o.pool === "object" ? (o.pool as Record<string, unknown>) : undefined;
    if (typeof o.workerPool === "string" && (pool === undefined || pool.name === undefined || pool.name === o.workerPool)) {
      o.pool = { ...pool, name: o.workerPool };
      delete o.workerPool;
      changed.push({ ptr: "/options/workerPool", message: "options.workerPool is deprecated (Cloud Build still reads it): read as options.pool.name" });
    }
  }
  return changed;
}
