/**
 * OCI name rules, one sanitize function each: build pipeline parameters (^[a-zA-Z][a-zA-Z_0-9]*$,
 * per the SDK model), resource names used in file names and symbolic references, and neutral names
 * for the importer.
 */
import { NameRegistry, type NameRule } from "@pipeglot/core";

/** Build/deploy pipeline parameter names. */
export const parameterRule: NameRule = {
  sanitize: (n) => {
    let s = n.replace(/[^A-Za-z0-9_]/g, "_");
    if (!/^[A-Za-z]/.test(s)) s = `V${s}`;
    return s;
  },
  maxLength: 255,
  separator: "_",
};

/** Resource names (file names, symbolic refs, display names): letters, digits, '.', '_', '-'. */
export const resourceRule: NameRule = {
  sanitize: (n) => n.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[.-]+/, "") || "x",
  maxLength: 100,
  caseInsensitive: true,
};

/** Neutral names (importer): NAME_PATTERN of the neutral format. */
export const neutralRule: NameRule = {
  sanitize: (n) =>
    n
      .trim()
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/^[^A-Za-z0-9]+/, "")
      .replace(/-+$/, "") || "step",
  maxLength: 100,
};

export const registry = (rule: NameRule) => new NameRegistry(rule);
