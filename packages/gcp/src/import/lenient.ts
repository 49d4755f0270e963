/**
 * What Google's own readers of cloudbuild.yaml accept where strict YAML 1.2 does not.
 *
 * gcloud (PyYAML) and the Cloud Build service (go-yaml) descend from libyaml, whose scanner starts
 * a plain scalar at `-` whenever the next character is not blank. So `waitFor: [-]` and
 * `[-, other]` read as the string `"-"` ("start at once"). YAML 1.2 — and the `yaml` library —
 * only starts a plain scalar at `-` before a "safe" character, and `]`, `,`, `}` are not safe in
 * a flow collection, so strict parsing fails ("Block collections are not allowed within flow
 * collections"). `lenientText` quotes exactly those dashes before parsing.
 *
 * Lines never move; a rewritten dash shifts what follows on its line by two columns.
 */
import { Lexer } from "yaml";
import { parseDurationString, parseLenientDuration, protoDuration } from "../native/build.js";

export interface Leniency {
  /** 1-based. */
  line: number;
  column: number;
  what: string;
}

const CLOSERS = new Set([",", "]", "}"]);

/** The text with every flow-context `-` that ends at `,`, `]` or `}` quoted, and where each was. */
export function lenientText(text: string): { text: string; applied: Leniency[] } {
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
      applied.push({ line, column: offset - before.lastIndexOf("\n"), what: "an unquoted `-` in a flow sequence was read as the string \"-\", as Cloud Build reads it" });
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
