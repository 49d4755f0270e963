/**
 * The resource kinds the OCI DevOps emulator serves, with their collections, OCID prefixes,
 * parents and work-request names, and the enumerations the service checks.
 * Reference: https://docs.oracle.com/en-us/iaas/api/#/en/devops/20210630/
 */

export const OCI_API_VERSION = "20210630";

export type OciKind = "buildPipeline" | "buildPipelineStage" | "deployPipeline" | "deployStage" | "deployArtifact" | "trigger";

interface KindInfo {
  collection: string;
  /** Operation suffix: CreateBuildPipeline... */
  op: string;
  ocid: string;
  /** The parent id field (list filter) besides projectId/compartmentId. */
  parent?: "projectId" | "buildPipelineId" | "deployPipelineId";
  typeField?: string;
  /** Work request entity type. */
  entity: string;
  wrOp: string;
}

export const KINDS: Record<OciKind, KindInfo> = {
  buildPipeline: {
    collection: "buildPipelines",
    op: "BuildPipeline",
    ocid: "devopsbuildpipeline",
    parent: "projectId",
    entity: "buildPipeline",
    wrOp: "BUILD_PIPELINE",
  },
  buildPipelineStage: {
    collection: "buildPipelineStages",
    op: "BuildPipelineStage",
    ocid: "devopsbuildpipelinestage",
    parent: "buildPipelineId",
    typeField: "buildPipelineStageType",
    entity: "buildPipelineStage",
    wrOp: "BUILD_PIPELINE_STAGE",
  },
  deployPipeline: {
    collection: "deployPipelines",
    op: "DeployPipeline",
    ocid: "devopsdeploypipeline",
    parent: "projectId",
    entity: "deployPipeline",
    wrOp: "DEPLOY_PIPELINE",
  },
  deployStage: {
    collection: "deployStages",
    op: "DeployStage",
    ocid: "devopsdeploystage",
    parent: "deployPipelineId",
    typeField: "deployStageType",
    entity: "deployStage",
    wrOp: "DEPLOY_STAGE",
  },
  deployArtifact: {
    collection: "deployArtifacts",
    op: "DeployArtifact",
    ocid: "devopsdeployartifact",
    parent: "projectId",
    typeField: "deployArtifactType",
    entity: "deployArtifact",
    wrOp: "DEPLOY_ARTIFACT",
  },
  trigger: {
    collection: "triggers",
    op: "Trigger",
    ocid: "devopstrigger",
    parent: "projectId",
    typeField: "triggerSource",
    entity: "trigger",
    wrOp: "TRIGGER",
  },
};
export const BY_COLLECTION = new Map(Object.entries(KINDS).map(([k, v]) => [v.collection, k as OciKind]));

export const BUILD_STAGE_TYPES = new Set(["BUILD", "DELIVER_ARTIFACT", "TRIGGER_DEPLOYMENT_PIPELINE", "WAIT"]);
export const DEPLOY_STAGE_TYPES = new Set([
  "WAIT",
  "MANUAL_APPROVAL",
  "SHELL",
  "INVOKE_FUNCTION",
  "DEPLOY_FUNCTION",
  "OKE_DEPLOYMENT",
  "OKE_HELM_CHART_DEPLOYMENT",
  "OKE_BLUE_GREEN_DEPLOYMENT",
  "OKE_BLUE_GREEN_TRAFFIC_SHIFT",
  "OKE_CANARY_DEPLOYMENT",
  "OKE_CANARY_TRAFFIC_SHIFT",
  "OKE_CANARY_APPROVAL",
  "COMPUTE_INSTANCE_GROUP_ROLLING_DEPLOYMENT",
  "COMPUTE_INSTANCE_GROUP_BLUE_GREEN_DEPLOYMENT",
  "COMPUTE_INSTANCE_GROUP_BLUE_GREEN_TRAFFIC_SHIFT",
  "COMPUTE_INSTANCE_GROUP_CANARY_DEPLOYMENT",
  "COMPUTE_INSTANCE_GROUP_CANARY_TRAFFIC_SHIFT",
  "COMPUTE_INSTANCE_GROUP_CANARY_APPROVAL",
  "LOAD_BALANCER_TRAFFIC_SHIFT",
]);
export const TRIGGER_SOURCES = new Set(["GITHUB", "GITLAB", "GITLAB_SERVER", "BITBUCKET_CLOUD", "BITBUCKET_SERVER", "DEVOPS_CODE_REPOSITORY", "VBS"]);
export const ARTIFACT_TYPES = new Set([
  "DEPLOYMENT_SPEC",
  "JOB_SPEC",
  "KUBERNETES_MANIFEST",
  "GENERIC_FILE",
  "DOCKER_IMAGE",
  "COMMAND_SPEC",
  "HELM_CHART",
  "HELM_COMMAND_SPEC",
]);
export const RUNNER_IMAGES = new Set(["OL7_X86_64_STANDARD_10", "OL8_X86_64_STANDARD_10"]);
/** Fields the server owns: ignored in create and update bodies. */
export const SERVER_FIELDS = ["id", "compartmentId", "timeCreated", "timeUpdated", "lifecycleState", "lifecycleDetails", "systemTags", "triggerUrl", "secret"];
