/**
 * The OCI DevOps request shapes pipeglot writes (one JSON file each), as the `oci-devops` SDK
 * models them (lib/model/*.d.ts, oci-devops 2.139.1; API version 20210630). The SDK is not a
 * runtime dependency: these local types mirror the fields we use, and the conformance test
 * type-checks every emitted file against the SDK's own types.
 *
 * https://docs.oracle.com/en-us/iaas/api/#/en/devops/20210630/
 */
export type Tags = Record<string, string>;

/** CreateBuildPipelineDetails */
export interface CreateBuildPipelineDetails {
  projectId: string;
  displayName?: string;
  description?: string;
  buildPipelineParameters?: { items: { name: string; defaultValue: string; description?: string }[] };
  freeformTags?: Tags;
}

export interface Predecessors {
  items: { id: string }[];
}

/** BuildSource subtypes by connectionType (GithubBuildSource, GitlabBuildSource, BitbucketCloudBuildSource). */
export interface BuildSource {
  name: string;
  connectionType: "GITHUB" | "GITLAB" | "BITBUCKET_CLOUD";
  repositoryUrl: string;
  branch: string;
  connectionId: string;
}

/** CreateBuildPipelineStageDetails subtypes, by buildPipelineStageType. */
interface CreateBuildStageBase {
  buildPipelineId: string;
  displayName?: string;
  description?: string;
  buildPipelineStagePredecessorCollection: Predecessors;
  freeformTags?: Tags;
}
export interface CreateBuildStageDetails extends CreateBuildStageBase {
  buildPipelineStageType: "BUILD";
  image: string;
  buildSpecFile?: string;
  stageExecutionTimeoutInSeconds?: number;
  buildSourceCollection: { items: BuildSource[] };
  primaryBuildSource?: string;
  buildRunnerShapeConfig?: { buildRunnerType: "CUSTOM"; ocpus: number; memoryInGBs: number };
}
export interface CreateDeliverArtifactStageDetails extends CreateBuildStageBase {
  buildPipelineStageType: "DELIVER_ARTIFACT";
  deliverArtifactCollection: { items: { artifactName: string; artifactId: string }[] };
}
export interface CreateTriggerDeploymentStageDetails extends CreateBuildStageBase {
  buildPipelineStageType: "TRIGGER_DEPLOYMENT_PIPELINE";
  deployPipelineId: string;
  isPassAllParametersEnabled: boolean;
}
export type CreateBuildPipelineStageDetails = CreateBuildStageDetails | CreateDeliverArtifactStageDetails | CreateTriggerDeploymentStageDetails;

/** CreateDeployPipelineDetails */
export interface CreateDeployPipelineDetails {
  projectId: string;
  displayName?: string;
  description?: string;
  deployPipelineParameters?: { items: { name: string; defaultValue?: string; description?: string }[] };
  freeformTags?: Tags;
}

/** CreateDeployStageDetails subtypes, by deployStageType. */
interface CreateDeployStageBase {
  deployPipelineId: string;
  displayName?: string;
  description?: string;
  deployStagePredecessorCollection: Predecessors;
  freeformTags?: Tags;
}
export interface CreateManualApprovalDeployStageDetails extends CreateDeployStageBase {
  deployStageType: "MANUAL_APPROVAL";
  approvalPolicy: { approvalPolicyType: "COUNT_BASED_APPROVAL"; numberOfApprovalsRequired: number };
}
export interface CreateShellDeployStageDetails extends CreateDeployStageBase {
  deployStageType: "SHELL";
  containerConfig: {
    containerConfigType: "CONTAINER_INSTANCE_CONFIG";
    shapeName: string;
    shapeConfig: { ocpus: number; memoryInGBs?: number };
    networkChannel: { networkChannelType: "SERVICE_VNIC_CHANNEL"; subnetId: string };
    compartmentId?: string;
  };
  commandSpecDeployArtifactId: string;
  timeoutInSeconds?: number;
}
export type CreateDeployStageDetails = CreateManualApprovalDeployStageDetails | CreateShellDeployStageDetails;

/** CreateDeployArtifactDetails: COMMAND_SPEC (inline) or GENERIC_FILE (Artifact Registry). */
export interface CreateDeployArtifactDetails {
  projectId: string;
  displayName?: string;
  description?: string;
  deployArtifactType: "COMMAND_SPEC" | "GENERIC_FILE";
  argumentSubstitutionMode: "NONE" | "SUBSTITUTE_PLACEHOLDERS";
  deployArtifactSource:
    | { deployArtifactSourceType: "INLINE"; base64EncodedContent: string }
    | { deployArtifactSourceType: "GENERIC_ARTIFACT"; repositoryId: string; deployArtifactPath: string; deployArtifactVersion: string };
  freeformTags?: Tags;
}

export type TriggerSource = "GITHUB" | "GITLAB" | "BITBUCKET_CLOUD";
export type TriggerEvent = "PUSH" | "PULL_REQUEST_CREATED" | "PULL_REQUEST_UPDATED" | "PULL_REQUEST_REOPENED" | "PULL_REQUEST_MERGED";

/** CreateTriggerDetails subtypes by triggerSource; actions are TriggerBuildPipelineAction. */
export interface CreateTriggerDetails {
  triggerSource: TriggerSource;
  projectId: string;
  displayName?: string;
  description?: string;
  connectionId?: string;
  actions: {
    type: "TRIGGER_BUILD_PIPELINE";
    buildPipelineId: string;
    filter: {
      triggerSource: TriggerSource;
      events: TriggerEvent[];
      include?: { headRef?: string; baseRef?: string; fileFilter?: { filePaths: string[] } };
      exclude?: { fileFilter: { filePaths: string[] } };
    };
  }[];
  freeformTags?: Tags;
}

/** The managed runner images (BuildStage.Image). */
export const RUNNER_IMAGES = ["OL7_X86_64_STANDARD_10", "OL8_X86_64_STANDARD_10"] as const;
export const DEFAULT_RUNNER_IMAGE = "OL8_X86_64_STANDARD_10";
