/**
 * The compiled AWS files as the model reads them: pipeline.json (CreatePipelineInput), each
 * CodeBuild project (codebuild/<name>.json) with its buildspec, and transitions.json (the
 * DisableStageTransition calls). Only the fields the runtime acts on are typed here.
 */
import { readHeader as readPipeglotHeader, type ProviderOutput } from "@pipeglot/core";
import { parse } from "yaml";

interface ArtifactRef {
  name: string;
}

export interface Action {
  name: string;
  actionTypeId: { category: string; owner: string; provider: string; version: string };
  runOrder?: number;
  configuration?: Record<string, string>;
  inputArtifacts?: ArtifactRef[];
  outputArtifacts?: ArtifactRef[];
  namespace?: string;
}

export interface Stage {
  name: string;
  actions: Action[];
}

interface PipelineVariable {
  name: string;
  defaultValue?: string;
}

export interface Pipeline {
  name: string;
  stages: Stage[];
  variables?: PipelineVariable[];
}

export interface EnvironmentVariable {
  name: string;
  value: string;
  type?: "PLAINTEXT" | "PARAMETER_STORE" | "SECRETS_MANAGER";
}

export interface Project {
  name: string;
  source: { type: string; buildspec?: string };
  environment: { image?: string; environmentVariables?: EnvironmentVariable[] };
  timeoutInMinutes?: number;
  autoRetryLimit?: number;
}

export interface Compiled {
  pipeline: Pipeline;
  projects: Map<string, Project>;
  /** Stage names whose inbound transition is disabled. */
  disabled: Set<string>;
}

/** Reads the compiled files (pipeline.json + codebuild/*.json + transitions.json). */
export function readCompiled(output: ProviderOutput): Compiled {
  const file = (path: string) => output.files.find((f) => f.path === path)?.content;
  const pipelineText = file("pipeline.json");
  if (pipelineText === undefined) throw new Error("the AWS output has no pipeline.json");
  const pipeline = (JSON.parse(pipelineText) as { pipeline: Pipeline }).pipeline;
  const projects = new Map<string, Project>();
  for (const f of output.files) {
    if (!/^codebuild\/[^/]+\.json$/.test(f.path)) continue;
    const p = JSON.parse(f.content) as Project;
    projects.set(p.name, p);
  }
  const transitions = file("transitions.json");
  const disabled = new Set<string>();
  if (transitions !== undefined)
    for (const t of JSON.parse(transitions) as { stageName: string; enabled: boolean }[]) if (!t.enabled) disabled.add(t.stageName);
  return { pipeline, projects, disabled };
}

export type PhaseName = "install" | "pre_build" | "build" | "post_build";
export const PHASES: readonly PhaseName[] = ["install", "pre_build", "build", "post_build"];

export interface Phase {
  commands?: string[];
  finally?: string[];
  "on-failure"?: "ABORT" | "CONTINUE";
}

export interface ArtifactSpec {
  files?: string[];
  "base-directory"?: string;
  "discard-paths"?: "yes" | "no" | boolean;
}

export interface Buildspec {
  version?: number | string;
  env?: {
    shell?: string;
    variables?: Record<string, string | number | boolean>;
    "parameter-store"?: Record<string, string>;
    "secrets-manager"?: Record<string, string>;
  };
  phases?: Partial<Record<PhaseName, Phase>>;
  artifacts?: ArtifactSpec & { "secondary-artifacts"?: Record<string, ArtifactSpec> };
}

/** pipeglot's `# pipeglot: {...}` buildspec header: the neutral job, its steps and names. */
export interface Header {
  job: string;
  steps: { name?: string; when?: "always" | "failure"; continueOnError?: boolean }[];
  /** How many commands at the start are pipeglot's own setup (copying consumed artifacts into CODEBUILD_SRC_DIR), no step's. */
  setup?: number;
  cell?: Record<string, string>;
  secretEnv?: Record<string, string>;
  /** AWS artifact name → neutral name, where they differ. */
  artifacts?: Record<string, string>;
}

/** The header among the buildspec's comment lines (core's one `# pipeglot: {json}` format). */
export function readHeader(buildspec: string): Header | undefined {
  const h = readPipeglotHeader(buildspec, true) as Partial<Header> | undefined;
  return h && typeof h.job === "string" && Array.isArray(h.steps) ? (h as Header) : undefined;
}

export function readBuildspec(text: string): Buildspec {
  return (parse(text) ?? {}) as Buildspec;
}
