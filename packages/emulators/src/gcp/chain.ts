/**
 * Build steps that start another trigger's build, as `gcloud builds triggers run NAME --sha=S
 * --substitutions=... --region=R` does when a real build runs it (pipeglot chains the parts of a
 * split pipeline this way). The emulator has no shell: it reads the command out of the step's
 * args, resolves the build's substitutions in it, and runs the trigger itself. A step that first
 * asks `gcloud builds triggers describe NAME ... value(disabled)` and stops when it prints True
 * starts nothing while that trigger is disabled.
 */

export interface ChainCall {
  trigger: string;
  /** Location of the trigger (--region), absent: the build's own. */
  region?: string;
  sha?: string;
  branch?: string;
  substitutions: Record<string, string>;
  /** The step skips the run while the trigger is disabled. */
  checksDisabled: boolean;
}

const RUN = /gcloud\s+(?:beta\s+|alpha\s+)?builds\s+triggers\s+run\s+(\S+)([^\n]*)/;

/** Cloud Build substitution in `text` with the build's values: $$ → $, ${K} and $K → value ("" when unknown). */
export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\{([A-Za-z0-9_]+)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, braced?: string, bare?: string) => {
    if (m === "$$") return "$";
    return values[(braced ?? bare)!] ?? "";
  });
}

/** Shell words of one command line: '…' and "…" quotes, backslash escapes, no expansions (enough for the flags gcloud takes). */
function words(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quote: string | undefined;
  let any = false;
  let escaped = false;
  for (const ch of line) {
    if (escaped) {
      cur += ch;
      escaped = false;
    } else if (ch === "\\" && quote !== "'") escaped = true;
    else if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      any = true;
    } else if (/\s/.test(ch)) {
      if (cur || any) out.push(cur);
      cur = "";
      any = false;
    } else if (ch === ";" || ch === "&" || ch === "|") break;
    else cur += ch;
  }
  if (cur || any) out.push(cur);
  return out;
}

/** gcloud's list flag value: `a=1,b=2`, or `^D^a=1Db=2` with its own delimiter. */
function keyValues(value: string): Record<string, string> {
  let delim = ",";
  let body = value;
  const m = /^\^([^^]+)\^/.exec(value);
  if (m) {
    delim = m[1]!;
    body = value.slice(m[0].length);
  }
  const out: Record<string, string> = {};
  for (const item of body.split(delim)) {
    const eq = item.indexOf("=");
    if (eq > 0) out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/** The trigger run a step makes, with the build's substitutions resolved; undefined for any other step. */
export function chainCall(entrypoint: unknown, args: readonly unknown[], values: Readonly<Record<string, string>>): ChainCall | undefined {
  const strings = args.filter((a): a is string => typeof a === "string");
  const text = commandText(entrypoint, strings, values);
  const m = RUN.exec(text);
  if (!m) return undefined;
  const call: ChainCall = { trigger: m[1]!, substitutions: {}, checksDisabled: false };
  for (const w of words(m[2]!)) {
    const eq = w.indexOf("=");
    if (!w.startsWith("--") || eq < 0) continue;
    const [flag, value] = [w.slice(2, eq), w.slice(eq + 1)];
    if (flag === "region") call.region = value;
    else if (flag === "sha") call.sha = value;
    else if (flag === "branch") call.branch = value;
    else if (flag === "substitutions") call.substitutions = keyValues(value);
  }
  const describe = new RegExp(`gcloud\\s+builds\\s+triggers\\s+describe\\s+${escapeRe(m[1]!)}(?![\\w-])[^\\n]*value\\(disabled\\)`);
  call.checksDisabled = describe.test(text);
  return call;
}

/**
 * The command a step runs, substitutions resolved: `bash -c SCRIPT $0 $1 …` is the script with
 * its positional parameters put in (quoted); any other entrypoint, its words joined.
 */
function commandText(entrypoint: unknown, args: string[], values: Readonly<Record<string, string>>): string {
  const subst = args.map((a) => substitute(a, values));
  if ((entrypoint === "bash" || entrypoint === "sh") && subst[0] === "-c" && subst[1] !== undefined) {
    const positional = subst.slice(2);
    const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
    return subst[1].replace(/"\$(\d)"|\$(\d)/g, (_, a?: string, b?: string) => quote(positional[Number(a ?? b)] ?? ""));
  }
  return [typeof entrypoint === "string" ? entrypoint : "", ...subst].join(" ");
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
