/**
 * AWS name rules, one sanitize function each (patterns from the botocore models):
 * pipeline/stage/action `[A-Za-z0-9.@\-_]{1,100}`, artifact `[a-zA-Z0-9_\-]{1,100}`,
 * CodeBuild project `[A-Za-z0-9][A-Za-z0-9\-_]{1,149}`, CloudFormation logical id `[A-Za-z0-9]{1,255}`.
 */
import { NameRegistry, type NameRule } from "@pipeglot/core";

export const PIPELINE_NAME: NameRule = { sanitize: (n) => n.replace(/[^A-Za-z0-9.@_-]+/g, "-") || "pipeline", maxLength: 100 };
export const STAGE_NAME: NameRule = { sanitize: (n) => n.replace(/[^A-Za-z0-9.@_-]+/g, "-") || "stage", maxLength: 100, caseInsensitive: true };
export const ACTION_NAME: NameRule = { sanitize: (n) => n.replace(/[^A-Za-z0-9.@_-]+/g, "-") || "action", maxLength: 100, caseInsensitive: true };
export const ARTIFACT_NAME: NameRule = { sanitize: (n) => n.replace(/[^A-Za-z0-9_-]+/g, "_") || "artifact", maxLength: 100 };
export const PROJECT_NAME: NameRule = {
  sanitize: (n) => {
    const s = n.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "");
    return s.length >= 2 ? s : `pg-${s}`;
  },
  maxLength: 150,
};
export const LOGICAL_ID: NameRule = {
  sanitize: (n) =>
    n
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join("") || "Resource",
  maxLength: 255,
  separator: "",
};

export const registry = (rule: NameRule) => new NameRegistry(rule);

/** Neutral names: letters, digits, '.', '_', '-', starting with a letter or digit (≤100). */
export function neutralName(n: string, fallback: string): string {
  // A CloudFormation reference left in a name (`${AWS::StackName}-build`) keeps its words: StackName-build.
  const s = n
    .replace(/\$\{(?:AWS::)?([^}]*)\}/g, "$1")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 100);
  return s || fallback;
}

/** Neutral env/variable names: `[A-Za-z_][A-Za-z0-9_]*`. */
export function envName(n: string): string {
  const s = n.replace(/[^A-Za-z0-9_]+/g, "_");
  return /^[0-9]/.test(s) || s === "" ? `_${s}` : s;
}
