/**
 * The parts of Cloud Build's resources the model reads, from the compiled files: build configs
 * (cloudbuild[.<part>].yaml) and build triggers (triggers/<name>.json, each with its build inline
 * or a `filename`). Only the fields the runtime acts on are typed; the rest is ignored.
 * https://cloud.google.com/build/docs/build-config-file-schema
 * https://cloud.google.com/build/docs/api/reference/rest/v1/projects.triggers#BuildTrigger
 */
import type { ProviderOutput } from "@pipeglot/core";
import { parse } from "yaml";

export interface Step {
  id?: string;
  /** The step's container image: not used here (steps run on this machine). */
  name?: string;
  entrypoint?: string;
  args?: string[];
  script?: string;
  env?: string[];
  secretEnv?: string[];
  dir?: string;
  waitFor?: string[];
  timeout?: string;
  allowFailure?: boolean;
  allowExitCodes?: number[];
}

export interface Build {
  steps: Step[];
  timeout?: string;
  substitutions?: Record<string, string>;
  availableSecrets?: { secretManager?: { versionName: string; env: string }[] };
  options?: { substitutionOption?: string; env?: string[]; secretEnv?: string[] };
  artifacts?: unknown;
}

export interface Trigger {
  name: string;
  disabled?: boolean;
  filename?: string;
  build?: Build;
  substitutions?: Record<string, string>;
  approvalConfig?: { approvalRequired?: boolean };
  github?: { owner?: string; name?: string; push?: RefFilter; pullRequest?: RefFilter };
  repositoryEventConfig?: { repository?: string; push?: RefFilter; pullRequest?: RefFilter };
  sourceToBuild?: { uri?: string; repository?: string; ref?: string };
}

export interface RefFilter {
  branch?: string;
  tag?: string;
  invertRegex?: boolean;
}

export interface Compiled {
  /** Build config files by path. */
  builds: Map<string, Build>;
  /** Triggers by name. */
  triggers: Map<string, Trigger>;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function asBuild(v: unknown): Build | undefined {
  if (!isObj(v) || !Array.isArray(v.steps)) return undefined;
  return v as unknown as Build;
}

/** The builds and triggers of a Cloud Build compile output. */
export function readCompiled(output: ProviderOutput): Compiled {
  const builds = new Map<string, Build>();
  const triggers = new Map<string, Trigger>();
  for (const f of output.files) {
    if (/^cloudbuild(\.[^/]+)?\.ya?ml$/.test(f.path)) {
      const b = asBuild(parse(f.content));
      if (b) builds.set(f.path, b);
    } else if (/^triggers\/[^/]+\.json$/.test(f.path)) {
      const t = JSON.parse(f.content) as unknown;
      if (isObj(t) && typeof t.name === "string") triggers.set(t.name, t as unknown as Trigger);
    }
  }
  return { builds, triggers };
}

/** The build a trigger runs: inline, or the config file it names. */
export function triggerBuild(c: Compiled, t: Trigger): Build | undefined {
  if (t.build) return asBuild(t.build);
  return t.filename ? c.builds.get(t.filename) : undefined;
}

/** A Duration string ("600s", "1.5s") in seconds. */
export function seconds(d: string | undefined): number | undefined {
  if (d === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)s$/.exec(d.trim());
  return m ? Number(m[1]) : undefined;
}
