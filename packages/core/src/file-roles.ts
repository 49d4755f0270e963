/**
 * What a team does with each compiled file: commit it, let `apply` create it through the API, or
 * read it. Each provider says which of its kinds are which (ProviderBase.fileRoles); the rule for
 * a file of neither kind is shared: read from the repository when a resource names its path,
 * otherwise a readable copy of what a resource inlines.
 */
import type { OutputFile } from "./provider.js";

/**
 * repository: commit it (the service reads it at run time); resource: created through the API by
 * apply; alternative: another way to create the same resources (an infrastructure-as-code
 * template); reference: a readable copy of what a resource inlines.
 */
export type FileRole = "repository" | "resource" | "alternative" | "reference";

export interface FileRoleRules {
  /** Kinds created through the API. */
  resource: RegExp;
  /** Kinds always read from the repository. */
  repository?: RegExp;
  /** Kinds that create the same resources another way. */
  alternative?: RegExp;
}

/** The role of each file (same order), by the provider's rules. */
export function fileRolesBy(files: readonly OutputFile[], rules: FileRoleRules): FileRole[] {
  const text = files
    .filter((f) => rules.resource.test(f.kind))
    .map((f) => f.content)
    .join("\n");
  return files.map((f) => {
    if (rules.resource.test(f.kind)) return "resource";
    if (rules.alternative?.test(f.kind)) return "alternative";
    if (rules.repository?.test(f.kind)) return "repository";
    const named = text.includes(JSON.stringify(f.path)) || text.includes(JSON.stringify(f.path.replace(/^.*\//, "")));
    return named ? "repository" : "reference";
  });
}
