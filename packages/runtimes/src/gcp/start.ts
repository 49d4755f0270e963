/**
 * How a build starts: which trigger a push of the run's branch fires, and the built-in
 * substitution values of a triggered build.
 * https://cloud.google.com/build/docs/automating-builds/create-manage-triggers
 * https://cloud.google.com/build/docs/configuring-builds/substitute-variable-values#using_default_substitutions
 */
import type { Build, Compiled, RefFilter, Trigger } from "./config.js";

/** What a build is started with (a trigger event, or `gcloud builds triggers run`). */
export interface BuildStart {
  trigger?: Trigger;
  commit: string;
  /** The branch built (absent: a build of a commit or a tag has none). */
  branch?: string;
  tag?: string;
  region?: string;
  /** User substitution values given when the build starts. */
  overrides: Record<string, string>;
  buildId: string;
}

/** The project id every local build reports. */
const LOCAL_PROJECT = "local-project";

function refMatches(f: RefFilter | undefined, ref: string | undefined, kind: "branch" | "tag"): boolean {
  const re = f?.[kind];
  if (re === undefined || ref === undefined) return false;
  // Trigger filters are RE2 regular expressions; the compile's are plain enough for JavaScript's.
  const hit = new RegExp(re).test(ref);
  return f?.invertRegex ? !hit : hit;
}

/**
 * The trigger a push of `branch` (or of the tag `refs/tags/<t>`) fires: a push trigger whose
 * filter matches, else the manual trigger run by hand on that ref. Triggers gated by an approval
 * belong to later builds and are never the first.
 */
export function startTrigger(c: Compiled, branch: string): Trigger | undefined {
  const tag = branch.startsWith("refs/tags/") ? branch.slice("refs/tags/".length) : undefined;
  const name = tag === undefined ? branch.replace(/^refs\/heads\//, "") : undefined;
  const candidates = [...c.triggers.values()].filter((t) => !t.approvalConfig?.approvalRequired && !t.disabled);
  const push = (t: Trigger) => t.github?.push ?? t.repositoryEventConfig?.push;
  const fired = candidates.find((t) => refMatches(push(t), name, "branch") || refMatches(push(t), tag, "tag"));
  if (fired) return fired;
  return candidates.find((t) => t.sourceToBuild !== undefined && !t.github && !t.repositoryEventConfig);
}

function repoNames(t: Trigger | undefined): { name: string; full: string } {
  if (t?.github?.name) return { name: t.github.name, full: `${t.github.owner ?? ""}/${t.github.name}` };
  const path = t?.sourceToBuild?.uri?.replace(/^https?:\/\/[^/]+\//, "") ?? t?.repositoryEventConfig?.repository ?? t?.sourceToBuild?.repository ?? "";
  const last = path.split("/").pop() ?? "";
  return { name: last, full: path.includes("/repositories/") ? last : path };
}

/** Built-in values, then the build's substitutions, the trigger's, and the start's overrides. */
export function buildValues(build: Build, start: BuildStart): Record<string, string> {
  const repo = repoNames(start.trigger);
  const builtins: Record<string, string> = {
    PROJECT_ID: LOCAL_PROJECT,
    PROJECT_NUMBER: "000000000000",
    BUILD_ID: start.buildId,
    LOCATION: start.region ?? "global",
    TRIGGER_NAME: start.trigger?.name ?? "",
    COMMIT_SHA: start.commit,
    REVISION_ID: start.commit,
    SHORT_SHA: start.commit.slice(0, 7),
    REPO_NAME: repo.name,
    REPO_FULL_NAME: repo.full,
    BRANCH_NAME: start.branch ?? "",
    TAG_NAME: start.tag ?? "",
    REF_NAME: start.branch ?? start.tag ?? "",
    TRIGGER_BUILD_CONFIG_PATH: start.trigger?.filename ?? "",
  };
  return { ...builtins, ...(build.substitutions ?? {}), ...(start.trigger?.substitutions ?? {}), ...start.overrides };
}

/**
 * The run's variable values as user substitutions of `build`: the variable X is the
 * substitution `_X` (or `_X` upper-cased with other characters as `_`) when the build defines it.
 */
export function variableOverrides(build: Build, variables: Readonly<Record<string, string>>): Record<string, string> {
  const defined = build.substitutions ?? {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(variables)) {
    const key = [`_${k}`, "_" + k.toUpperCase().replace(/[^A-Z0-9_]/g, "_")].find((c) => c in defined);
    if (key) out[key] = v;
  }
  return out;
}
