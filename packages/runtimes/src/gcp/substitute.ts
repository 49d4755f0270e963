/**
 * Cloud Build's substitution pass, applied to a step's entrypoint, args, env and dir before the
 * step runs (https://cloud.google.com/build/docs/configuring-builds/substitute-variable-values):
 * - `$$` is a literal `$`;
 * - `$KEY` and `${KEY}` are replaced, KEY being a built-in (PROJECT_ID, COMMIT_SHA, BRANCH_NAME…)
 *   or a user substitution (`_[A-Z0-9_]+`) from the build's `substitutions`, the trigger's, and
 *   the values given when the build starts;
 * - a built-in that is not available (no source, no trigger) becomes the empty string;
 * - other `$` text (`$1`, `$foo`, `$(cmd)`) is left as it is.
 * `options.substitutionOption` (https://cloud.google.com/build/docs/api/reference/rest/v1/projects.builds#substitutionoption):
 * MUST_MATCH (the default) fails the build when a referenced key has no value or a user
 * substitution is not used; ALLOW_LOOSE does not fail, and an unknown key becomes empty.
 */
import type { Build, Step } from "./config.js";

const KEY = /^\$(?:\{([A-Z_][A-Z0-9_]*)\}|([A-Z_][A-Z0-9_]*))/;

/** The built-in keys (documented list); any of them missing from a build's values is empty. */
export const BUILTINS = [
  "PROJECT_ID",
  "PROJECT_NUMBER",
  "BUILD_ID",
  "LOCATION",
  "TRIGGER_NAME",
  "COMMIT_SHA",
  "REVISION_ID",
  "SHORT_SHA",
  "REPO_NAME",
  "REPO_FULL_NAME",
  "BRANCH_NAME",
  "TAG_NAME",
  "REF_NAME",
  "TRIGGER_BUILD_CONFIG_PATH",
  "SERVICE_ACCOUNT_EMAIL",
  "SERVICE_ACCOUNT",
] as const;

/** `text` with every substitution applied; `seen` collects the keys it references. */
export function substitute(text: string, values: Readonly<Record<string, string>>, seen?: Set<string>): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    if (text[i] === "$" && text[i + 1] === "$") {
      out += "$";
      i += 2;
      continue;
    }
    const m = text[i] === "$" ? KEY.exec(text.slice(i)) : null;
    if (m) {
      const key = (m[1] ?? m[2])!;
      seen?.add(key);
      out += values[key] ?? "";
      i += m[0].length;
      continue;
    }
    out += text[i];
    i++;
  }
  return out;
}

/** A step with its entrypoint, args, env and dir substituted (script is not substituted). */
export function substituteStep(step: Step, values: Readonly<Record<string, string>>, seen?: Set<string>): Step {
  const s = (t: string) => substitute(t, values, seen);
  return {
    ...step,
    ...(step.entrypoint !== undefined ? { entrypoint: s(step.entrypoint) } : {}),
    ...(step.args ? { args: step.args.map(s) } : {}),
    ...(step.env ? { env: step.env.map(s) } : {}),
    ...(step.dir !== undefined ? { dir: s(step.dir) } : {}),
  };
}

/**
 * MUST_MATCH's checks (ALLOW_LOOSE: none): a referenced key with no value, or a user
 * substitution defined but never referenced. The problems, empty when the build may start.
 */
export function substitutionProblems(build: Build, values: Readonly<Record<string, string>>): string[] {
  if (build.options?.substitutionOption === "ALLOW_LOOSE") return [];
  const seen = new Set<string>();
  for (const st of build.steps) substituteStep(st, values, seen);
  const known = new Set<string>([...BUILTINS, ...Object.keys(values)]);
  const problems = [...seen].filter((k) => !known.has(k)).map((k) => `key ${k} in the template has no value`);
  for (const k of Object.keys(values)) if (k.startsWith("_") && !seen.has(k)) problems.push(`substitution ${k} is not used in the template`);
  return problems;
}
