/**
 * Cloud Build's substitution pass, modelled on Google's documented rules
 * (https://cloud.google.com/build/docs/configuring-builds/substitute-variable-values) and its
 * reference implementation (GoogleCloudPlatform/cloud-build-local, subst/subst.go):
 *
 *   $$            → a literal "$" (the escape)
 *   $KEY, ${KEY}  → the value of KEY, where KEY matches [A-Z_][A-Z0-9_]* (unknown keys → "")
 *   anything else ($1, $foo, $(cmd), ${foo}) stays as it is.
 *
 * It applies to a step's name, args, env, dir and entrypoint, and to `images` — not to `script`.
 */

type SubstPart = { kind: "text"; value: string } | { kind: "key"; key: string; braced: boolean };

const KEY = /^\$(?:\{([A-Z_][A-Z0-9_]*)\}|([A-Z_][A-Z0-9_]*))/;

/** Split text into literal text (with `$$` already turned into `$`) and substitution keys. */
export function parseSubstitutions(input: string): SubstPart[] {
  const out: SubstPart[] = [];
  let buf = "";
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === "$" && input[i + 1] === "$") {
      buf += "$";
      i += 2;
      continue;
    }
    if (c === "$") {
      const m = KEY.exec(input.slice(i));
      if (m) {
        if (buf) out.push({ kind: "text", value: buf });
        buf = "";
        out.push({ kind: "key", key: (m[1] ?? m[2])!, braced: m[1] !== undefined });
        i += m[0].length;
        continue;
      }
    }
    buf += c;
    i++;
  }
  if (buf) out.push({ kind: "text", value: buf });
  return out;
}

/** What Cloud Build makes of `input` given the substitution values. */
export function applySubstitutions(input: string, values: Readonly<Record<string, string>>): string {
  return parseSubstitutions(input)
    .map((p) => (p.kind === "text" ? p.value : (values[p.key] ?? "")))
    .join("");
}

/** Escape literal text so that the substitution pass gives it back unchanged: every `$` becomes `$$`. */
export function escapeSubstitutions(text: string): string {
  return text.replace(/\$/g, "$$$$");
}

/** The keys of built-in substitutions Cloud Build fills in (documented list). */
export const BUILTIN_SUBSTITUTIONS = new Set([
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
  "_HEAD_BRANCH",
  "_BASE_BRANCH",
  "_HEAD_REPO_URL",
  "_PR_NUMBER",
]);
