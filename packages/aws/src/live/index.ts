/** Live sync with AWS CodePipeline + CodeBuild: desired resources, the LiveClient, pull. See README.md. */
export { desired } from "./desired.js";
export { pull } from "./pull.js";
export { connect, connectAws, awsSettings, AwsConnectError, type AwsSettings, type AwsConnectTuning } from "./connect.js";
export { AwsLiveClient, projectsOf, type AwsCall, type AwsService, type AwsLiveClientOptions } from "./client.js";
export { AwsApiError, redact, retryable, toApiError } from "./errors.js";
export { KIND_PIPELINE, KIND_PROJECT, KIND_TRANSITIONS } from "./kinds.js";
export {
  canonicalDeclaration,
  canonicalPipelineInput,
  canonicalProject,
  canonicalTags,
  canonicalTransitions,
  transitionsFromState,
  transitionsToken,
  PROJECT_RESET,
} from "./normalize.js";
