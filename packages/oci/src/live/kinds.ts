/**
 * The resource kinds live sync writes, and how pipeglot's symbolic ids (`${buildPipeline.id}`,
 * `${buildStage.<name>.id}`, …) name them.
 */
import type { ResourceKey } from "@pipeglot/core";

export type OciResourceKind = "oci.BuildPipeline" | "oci.BuildPipelineStage" | "oci.DeployPipeline" | "oci.DeployStage" | "oci.DeployArtifact" | "oci.Trigger";

export const KIND = {
  buildPipeline: "oci.BuildPipeline",
  buildStage: "oci.BuildPipelineStage",
  deployPipeline: "oci.DeployPipeline",
  deployStage: "oci.DeployStage",
  deployArtifact: "oci.DeployArtifact",
  trigger: "oci.Trigger",
} as const satisfies Record<string, OciResourceKind>;

/** Compile output file kind → resource kind. */
export const FILE_KINDS: Record<string, OciResourceKind> = {
  "oci.CreateBuildPipelineDetails": KIND.buildPipeline,
  "oci.CreateBuildPipelineStageDetails": KIND.buildStage,
  "oci.CreateDeployPipelineDetails": KIND.deployPipeline,
  "oci.CreateDeployStageDetails": KIND.deployStage,
  "oci.CreateDeployArtifactDetails": KIND.deployArtifact,
  "oci.CreateTriggerDetails": KIND.trigger,
};

/** Order in which kinds are created (parents first); deletes run the other way. */
export const KIND_ORDER: readonly OciResourceKind[] = [
  KIND.deployArtifact,
  KIND.deployPipeline,
  KIND.deployStage,
  KIND.buildPipeline,
  KIND.buildStage,
  KIND.trigger,
];

/** The symbol that names a resource once it exists. Pipelines have one each, so the name is not part of it. */
export function symbolOf(key: ResourceKey): string {
  switch (key.kind) {
    case KIND.buildPipeline:
      return "${buildPipeline.id}";
    case KIND.deployPipeline:
      return "${deployPipeline.id}";
    case KIND.buildStage:
      return `\${buildStage.${key.name}.id}`;
    case KIND.deployStage:
      return `\${deployStage.${key.name}.id}`;
    case KIND.deployArtifact:
      return `\${deployArtifact.${key.name}.id}`;
    default:
      return `\${trigger.${key.name}.id}`;
  }
}

/** Settings compile leaves symbolic when targets.oci does not set them; connect resolves them. */
export const TARGET_SYMBOLS = {
  "${target.projectId}": { setting: "projectId", env: "PIPEGLOT_OCI_PROJECT_ID" },
  "${target.connectionId}": { setting: "connectionId", env: "PIPEGLOT_OCI_CONNECTION_ID" },
  "${target.subnetId}": { setting: "subnetId", env: "PIPEGLOT_OCI_SUBNET_ID" },
  "${artifactRepository.id}": { setting: "artifactRepositoryId", env: "PIPEGLOT_OCI_ARTIFACT_REPOSITORY_ID" },
} as const;

/** Every symbolic id compile writes (not `${PIPEGLOT_RUN}` and other run-time placeholders). */
export const SYMBOL =
  /\$\{(?:buildPipeline\.id|deployPipeline\.id|(?:buildStage|deployStage|deployArtifact)\.[^}]+\.id|target\.(?:projectId|connectionId|subnetId)|artifactRepository\.id)\}/g;

/** The resource key a symbol names, or undefined for target settings. */
export function keyOfSymbol(symbol: string, pipelines: { build?: string; deploy?: string }): ResourceKey | undefined {
  if (symbol === "${buildPipeline.id}") return pipelines.build !== undefined ? { kind: KIND.buildPipeline, name: pipelines.build } : undefined;
  if (symbol === "${deployPipeline.id}") return pipelines.deploy !== undefined ? { kind: KIND.deployPipeline, name: pipelines.deploy } : undefined;
  const m = /^\$\{(buildStage|deployStage|deployArtifact)\.(.+)\.id\}$/.exec(symbol);
  if (!m) return undefined;
  const kind = m[1] === "buildStage" ? KIND.buildStage : m[1] === "deployStage" ? KIND.deployStage : KIND.deployArtifact;
  return { kind, name: m[2]! };
}
