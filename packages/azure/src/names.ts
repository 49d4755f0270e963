/**
 * Azure name rules. Stage, job and step ids: [A-Za-z_][A-Za-z0-9_]* ("may only contain alphanumeric
 * characters and '_' and may not start with a number"), case-insensitive; `deploy` is reserved for
 * deployment jobs. https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/jobs-job
 */
import { NameRegistry, type NameRule } from "@pipeglot/core";
import { NAME_PATTERN } from "@pipeglot/schema";

export function sanitizeId(name: string): string {
  let s = name.replace(/[^A-Za-z0-9_]/g, "_");
  if (!s || /^[0-9]/.test(s)) s = "_" + s;
  if (s.toLowerCase() === "deploy") s = `${s}_job`;
  return s;
}

const ID_RULE: NameRule = { sanitize: sanitizeId, maxLength: 100, caseInsensitive: true, separator: "_" };

export const idRegistry = (): NameRegistry => new NameRegistry(ID_RULE);

/** Matrix cell names: letters, digits and '_', starting with a letter. */
export function sanitizeCell(name: string): string {
  let s = name.replace(/[^A-Za-z0-9_]/g, "_");
  if (!/^[A-Za-z]/.test(s)) s = "c" + s;
  return s;
}

/** A neutral name (NAME_PATTERN) from any Azure id or display text; undefined when nothing usable remains. */
export function neutralName(text: string): string | undefined {
  if (NAME_PATTERN.test(text) && text.length <= 100) return text;
  const s = text
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .replace(/-+$/, "")
    .slice(0, 100);
  return s && NAME_PATTERN.test(s) ? s : undefined;
}

/** Artifact and environment file names. */
export function fileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_");
}
