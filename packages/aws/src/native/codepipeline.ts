/**
 * Typed model of the CodePipeline API shapes pipeglot writes and reads (V2).
 * Reference: https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineDeclaration.html
 * (botocore model codepipeline-2015-07-09 service-2.json, shapes named below).
 */

/** https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionTypeId.html */
export interface ActionTypeId {
  category: "Source" | "Build" | "Deploy" | "Test" | "Invoke" | "Approval" | "Compute";
  owner: "AWS" | "ThirdParty" | "Custom";
  provider: string;
  version: string;
}

/** https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionDeclaration.html */
export interface ActionDeclaration {
  name: string;
  actionTypeId: ActionTypeId;
  runOrder?: number;
  /** Every value is a string (JSON structures are JSON-encoded). */
  configuration?: Record<string, string>;
  commands?: string[];
  outputArtifacts?: { name: string; files?: string[] }[];
  inputArtifacts?: { name: string }[];
  outputVariables?: string[];
  roleArn?: string;
  region?: string;
  namespace?: string;
  timeoutInMinutes?: number;
  environmentVariables?: { name: string; value: string; type?: "PLAINTEXT" | "SECRETS_MANAGER" }[];
}

/** https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_StageDeclaration.html */
export interface StageDeclaration {
  name: string;
  actions: ActionDeclaration[];
  onFailure?: {
    result?: "ROLLBACK" | "FAIL" | "RETRY" | "SKIP";
    retryConfiguration?: { retryMode?: "FAILED_ACTIONS" | "ALL_ACTIONS" };
    conditions?: unknown[];
  };
  onSuccess?: { conditions: unknown[] };
  beforeEntry?: { conditions: unknown[] };
}

/** https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GitBranchFilterCriteria.html (also tags, file paths) */
export interface FilterCriteria {
  includes?: string[];
  excludes?: string[];
}

/** https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GitConfiguration.html */
export interface GitConfiguration {
  sourceActionName: string;
  push?: { branches?: FilterCriteria; tags?: FilterCriteria; filePaths?: FilterCriteria }[];
  pullRequest?: { events?: ("OPEN" | "UPDATED" | "CLOSED")[]; branches?: FilterCriteria; filePaths?: FilterCriteria }[];
}

/** https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineTriggerDeclaration.html */
export interface PipelineTriggerDeclaration {
  providerType: "CodeStarSourceConnection";
  gitConfiguration: GitConfiguration;
}

/** https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineVariableDeclaration.html */
interface PipelineVariableDeclaration {
  name: string;
  defaultValue?: string;
  description?: string;
}

/** https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineDeclaration.html */
export interface PipelineDeclaration {
  name: string;
  roleArn: string;
  artifactStore?: { type: "S3"; location: string; encryptionKey?: { id: string; type: "KMS" } };
  artifactStores?: Record<string, { type: "S3"; location: string }>;
  stages: StageDeclaration[];
  version?: number;
  executionMode?: "QUEUED" | "SUPERSEDED" | "PARALLEL";
  pipelineType?: "V1" | "V2";
  variables?: PipelineVariableDeclaration[];
  triggers?: PipelineTriggerDeclaration[];
}

export interface Tag {
  key: string;
  value: string;
}

/** https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_CreatePipeline.html — file kind codepipeline.CreatePipelineInput */
export interface CreatePipelineInput {
  pipeline: PipelineDeclaration;
  tags?: Tag[];
}
/**
 * One disabled inbound transition (DisableStageTransition, applied after create/update).
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_DisableStageTransition.html — file kind codepipeline.Transitions (a list)
 */
export interface Transition {
  stageName: string;
  enabled: false;
  reason: string;
}

export const CODEBUILD_TYPE: ActionTypeId = { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" };
export const MANUAL_APPROVAL_TYPE: ActionTypeId = { category: "Approval", owner: "AWS", provider: "Manual", version: "1" };
export const CONNECTION_SOURCE_TYPE: ActionTypeId = { category: "Source", owner: "AWS", provider: "CodeStarSourceConnection", version: "1" };
export const CODECOMMIT_SOURCE_TYPE: ActionTypeId = { category: "Source", owner: "AWS", provider: "CodeCommit", version: "1" };

/** DisabledReason pattern from the API model. */
export const DISABLED_REASON = /^[a-zA-Z0-9!@ ().*?-]+$/;

/** A disabled transition's reason as DisableStageTransition takes it: other characters become spaces, at most 300 (empty: the default). */
export function cleanDisabledReason(reason: string): string {
  const clean =
    reason
      .replace(/[^a-zA-Z0-9!@ ().*?-]/g, " ")
      .slice(0, 300)
      .trim() || "Disabled by pipeglot";
  return DISABLED_REASON.test(clean) ? clean : "Disabled by pipeglot";
}
