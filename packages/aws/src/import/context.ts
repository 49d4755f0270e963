/**
 * What every part of a declaration's import shares: the input, the reporter, the source map and
 * pointer helpers into the native file (camelCase API JSON or PascalCase CloudFormation keys).
 */
import type { SourceMap } from "@pipeglot/schema";
import type { PipelineDeclaration, Tag, Transition } from "../native/codepipeline.js";
import type { CreateProjectInput } from "../native/codebuild.js";
import type { ImportMap, ImportReport } from "./parse.js";

/** Any native value as text ("" for none; objects as JSON). */
export const str = (v: unknown): string =>
  typeof v === "string" ? v : v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);

export interface ProjectRef {
  project: CreateProjectInput;
  map: SourceMap;
  ptr: string;
}

export interface DeclarationInput {
  decl: PipelineDeclaration;
  tags: Tag[];
  transitions: Transition[];
  map: SourceMap;
  /** Native pointer of the declaration (e.g. /pipeline or /Resources/Pipeline/Properties). */
  base: string;
  /** camelCase (API JSON) or PascalCase (CloudFormation) keys in the native file. */
  pascal: boolean;
  projects: Map<string, ProjectRef>;
  /** Buildspec files given beside the declaration: a project that names its buildspec by path reads the one given at that path. */
  buildspecFiles?: BuildspecFile[];
}

export interface BuildspecFile {
  path: string;
  text: string;
  map: SourceMap;
}

/**
 * The given buildspec file a project's `source.buildspec` names by path (the default
 * `buildspec.yml` when it names none): the file whose path is that path or ends with it, after a
 * variable (`${Subfolder}/ci/buildspec.yml` is `ci/buildspec.yml`).
 */
export function buildspecFileFor(value: unknown, files: readonly BuildspecFile[] | undefined): BuildspecFile | undefined {
  const written = typeof value === "string" && value.trim() !== "" ? value.trim() : "buildspec.yml";
  if (/\n/.test(written) || !/\.ya?ml$/i.test(written)) return undefined;
  const path = written.replace(/^.*[})]\//, "").replace(/^\.?\//, "");
  return files?.find((f) => f.path.replace(/\\/g, "/") === path || f.path.replace(/\\/g, "/").endsWith(`/${path}`));
}

export interface DeclarationContext {
  inp: DeclarationInput;
  map: SourceMap;
  report: ImportReport;
  sm: ImportMap;
  /** The native pointer of a path below the declaration (keys cased as the file has them). */
  P: (...segs: (string | number)[]) => string;
  /** A pipeline tag's value. */
  tag: (key: string) => string | undefined;
}

export function declarationContext(inp: DeclarationInput, report: ImportReport, sm: ImportMap): DeclarationContext {
  const K = (k: string) => (inp.pascal ? k.charAt(0).toUpperCase() + k.slice(1) : k);
  return {
    inp,
    map: inp.map,
    report,
    sm,
    P: (...segs) => `${inp.base}${segs.map((s) => `/${typeof s === "number" ? s : K(s)}`).join("")}`,
    tag: (k) => inp.tags.find((t) => t.key === k)?.value,
  };
}
