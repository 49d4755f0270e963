/**
 * Reads pipeglot's OCI compile output as OCI DevOps would hold it: the build pipeline and its
 * stages (with their predecessor collections), the build specs the BUILD stages name, the deploy
 * pipeline, its stages and deploy artifacts (inline command specs, generic artifacts).
 */
import type { ProviderOutput } from "@pipeglot/core";
import { parse as parseYaml } from "yaml";

export type Tags = Record<string, string>;

export interface Parameter {
  name: string;
  defaultValue?: string;
}

/** A step of a build spec or command spec. */
export interface SpecStep {
  type?: string;
  name?: string;
  shell?: string;
  command?: string;
  timeoutInSeconds?: number;
  failImmediatelyOnError?: boolean;
  onFailure?: SpecStep[];
}

export interface SpecArtifact {
  name: string;
  type: string;
  location: string;
  registryId?: string;
  path?: string;
  version?: string;
}

/** A build spec (component build) or command spec (component command), version 0.1. */
export interface Spec {
  component?: string;
  timeoutInSeconds?: number;
  shell?: string;
  failImmediatelyOnError?: boolean;
  env?: { variables?: Record<string, string | number | boolean>; vaultVariables?: Record<string, string>; exportedVariables?: string[] };
  inputArtifacts?: SpecArtifact[];
  steps?: SpecStep[];
  outputArtifacts?: SpecArtifact[];
}

/** One stage of the build or deploy pipeline (the fields the model reads). */
export interface PipelineStage {
  file: string;
  type: string;
  displayName: string;
  predecessors: string[];
  freeformTags: Tags;
  raw: Record<string, unknown>;
}

export interface DeployArtifact {
  displayName: string;
  type: string;
  substitute: boolean;
  source: Record<string, unknown>;
}

export interface OciFiles {
  parameters: Parameter[];
  buildStages: PipelineStage[];
  deployParameters: Parameter[];
  deployStages: PipelineStage[];
  /** Deploy artifacts by display name. */
  artifacts: Map<string, DeployArtifact>;
  /** The compiled files by path (build specs are read from here). */
  byPath: Map<string, string>;
}

/** `${buildStage.NAME.id}` → NAME (likewise deployStage, deployArtifact); the pipeline itself → undefined. */
export function refName(ref: string): string | undefined {
  return /^\$\{(?:buildStage|deployStage|deployArtifact)\.(.+)\.id\}$/.exec(ref)?.[1];
}

function json(text: string | undefined): Record<string, unknown> {
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function items<T>(v: unknown): T[] {
  const list = (v as { items?: T[] } | undefined)?.items;
  return Array.isArray(list) ? list : [];
}

function stage(file: string, raw: Record<string, unknown>, kind: "build" | "deploy"): PipelineStage {
  const preds = items<{ id: string }>(raw[kind === "build" ? "buildPipelineStagePredecessorCollection" : "deployStagePredecessorCollection"]);
  return {
    file,
    type: String(raw[kind === "build" ? "buildPipelineStageType" : "deployStageType"] ?? ""),
    displayName: String(raw.displayName ?? file),
    predecessors: preds.map((p) => refName(p.id)).filter((n): n is string => n !== undefined),
    freeformTags: (raw.freeformTags as Tags | undefined) ?? {},
    raw,
  };
}

export function readOutput(output: ProviderOutput): OciFiles {
  const byPath = new Map(output.files.map((f) => [f.path, f.content]));
  const under = (dir: string) => output.files.filter((f) => f.path.startsWith(`${dir}/`) && f.path.endsWith(".json"));
  const artifacts = new Map<string, DeployArtifact>();
  for (const f of under("deploy_artifacts")) {
    const raw = json(f.content);
    const name = String(raw.displayName ?? f.path);
    artifacts.set(name, {
      displayName: name,
      type: String(raw.deployArtifactType ?? ""),
      substitute: raw.argumentSubstitutionMode === "SUBSTITUTE_PLACEHOLDERS",
      source: (raw.deployArtifactSource as Record<string, unknown> | undefined) ?? {},
    });
  }
  return {
    parameters: items<Parameter>(json(byPath.get("build_pipeline.json")).buildPipelineParameters),
    buildStages: under("build_stages").map((f) => stage(f.path, json(f.content), "build")),
    deployParameters: items<Parameter>(json(byPath.get("deploy_pipeline.json")).deployPipelineParameters),
    deployStages: under("deploy_stages").map((f) => stage(f.path, json(f.content), "deploy")),
    artifacts,
    byPath,
  };
}

/** The build spec a BUILD stage names (buildSpecFile, a path in the repository under .pipeglot/oci/). */
export function buildSpecOf(files: OciFiles, s: PipelineStage): Spec | undefined {
  const file = String(s.raw.buildSpecFile ?? "build_spec.yaml");
  const path = file.replace(/^\.pipeglot\/oci\//, "");
  const text = files.byPath.get(path);
  return text === undefined ? undefined : (parseYaml(text) as Spec);
}

/** The command spec of a SHELL stage: its COMMAND_SPEC deploy artifact, inline and base64-encoded. */
export function commandSpecOf(files: OciFiles, s: PipelineStage): Spec | undefined {
  const name = refName(String(s.raw.commandSpecDeployArtifactId ?? ""));
  const art = name ? files.artifacts.get(name) : undefined;
  const b64 = art?.source.base64EncodedContent;
  return typeof b64 === "string" ? (parseYaml(Buffer.from(b64, "base64").toString("utf8")) as Spec) : undefined;
}
