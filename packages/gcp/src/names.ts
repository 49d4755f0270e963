/**
 * Cloud Build name rules: trigger names [A-Za-z0-9-]{1,64} with letters or digits at both ends,
 * substitution keys _[A-Z0-9_]+, step ids <stage>__<job>__<step>.
 */
import { NameRegistry, OWNERSHIP, type NameRule } from "@pipeglot/core";

const TRIGGER_NAME_RULE: NameRule = {
  sanitize: (n) =>
    n
      .replace(/[^A-Za-z0-9-]+/g, "-")
      .replace(/-+/g, "-")
      .replace(/^-+|-+$/g, "") || "pipeline",
  maxLength: 64,
  caseInsensitive: false,
  separator: "-",
};

export const triggerNames = () => new NameRegistry(TRIGGER_NAME_RULE);

/** A slug used in file names (cloudbuild.<slug>.yaml): the same rule, lower case. */
export const slug = (n: string): string => TRIGGER_NAME_RULE.sanitize(n).toLowerCase();

/** Neutral variable name → substitution key. */
export function substitutionKey(variable: string): string {
  return "_" + variable.toUpperCase().replace(/[^A-Z0-9_]/g, "_");
}
export const ID_SEP = "__";
/** Prefix of the steps pipeglot adds itself (artifact transfer, chaining to the next trigger). */
export const GENERATED_PREFIX = "pipeglot__";

export function stepId(stage: string, job: string, step: string): string {
  return [stage, job, step].join(ID_SEP);
}

/** Split a pipeglot step id; undefined for ids of another shape. */
export function splitStepId(id: string): { stage: string; job: string; step: string } | undefined {
  if (id.startsWith(GENERATED_PREFIX)) return undefined;
  const parts = id.split(ID_SEP);
  if (parts.length !== 3 || parts.some((p) => !p)) return undefined;
  return { stage: parts[0]!, job: parts[1]!, step: parts[2]! };
}

/** Any text → a neutral name ([A-Za-z0-9][A-Za-z0-9._-]*, ≤100). */
export function neutralName(text: string, fallback: string): string {
  const s = text
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 100)
    .replace(/-+$/, "");
  return s || fallback;
}

export const OWNER_TAG = OWNERSHIP.label.managedBy;
export const PIPELINE_TAG = OWNERSHIP.label.pipelinePrefix;
export const PART_TAG = "pipeglot-part-";
export const HASH_TAG = OWNERSHIP.label.hashPrefix;
