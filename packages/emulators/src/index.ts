/**
 * @pipeglot/emulators: local, stateful servers that speak the real wire protocols of the clouds
 * pipeglot syncs with (AWS CodePipeline + CodeBuild, Azure DevOps, Google Cloud Build), with fault injection.
 * For tests, demos and offline dry runs. See README.md.
 */
export {
  startEmulators,
  PROVIDER_IDS,
  PORT_OFFSETS,
  DEFAULT_HOST,
  DEFAULT_REGION,
  DEFAULT_ACCOUNT_ID,
  DUMMY_ACCESS_KEY_ID,
  DUMMY_SECRET_ACCESS_KEY,
  GCB_ENDPOINT_ENV,
  AZURE_ORG_URL_ENV,
  AZURE_TOKEN_ENV,
  DEFAULT_AZURE_ORGANIZATION,
  DUMMY_AZURE_TOKEN,
  OCI_ENDPOINT_ENV,
  DEFAULT_OCI_REGION,
  type OciEmulator,
  type AzureEmulator,
  type ProviderId,
  type EmulatorOptions,
  type Emulators,
  type ProviderEmulator,
  type ProviderEmulatorMap,
  type AwsEmulator,
  type AwsState,
  type GcbEmulator,
  type FaultSettings,
  type EmulatorsState,
  STATE_FORMAT,
  type RunSimulation,
  DEFAULT_RUN_STEP_MS,
} from "./emulators.js";
export { emulateCommand, formatEmulators, parseProviders, EmulateUsageError, type EmulateCommandOptions, type EmulateSession } from "./cli.js";
export { SEED_AZURE_IDENTITIES, SEED_AZURE_PROJECT, SEED_AZURE_SERVICE_CONNECTIONS, SEED_GCP_PROJECT, SEED_OCI, seedEnv } from "./seed.js";
export { ociIdentity, type OciIdentity } from "./oci/identity.js";
export type { FaultOptions, FaultConfig, FaultDecision } from "./core/faults.js";
export { RequestCounters, type OperationCount } from "./core/counters.js";
export type { Json, JsonObject } from "./core/json.js";
export { Prng } from "./core/prng.js";
export type { PipelineSnapshot, TransitionSnapshot } from "./aws/codepipeline.js";
export type { TriggerSnapshot } from "./gcp/cloudbuild.js";
export { AzureDevOpsProtocol, APPROVAL_TYPE_ID, type AzureProjectSnapshot, type AzureEmulatorOptions } from "./azure/index.js";
export type { AzureIdentitySeed } from "./azure/identities.js";
export {
  OciDevopsProtocol,
  SignatureVerifier,
  parseAuthorization,
  OCI_API_VERSION,
  type OciEmulatorOptions,
  type OciKind,
  type OciResourceSnapshot,
  type WorkRequestStatus,
} from "./oci/index.js";
export { ShapeValidator, validationMessage, findServiceModel, type BotocoreModel, type BotocoreShape, type ShapeProblem } from "./aws/botocore.js";
/** Plumbing for new provider emulators (Azure DevOps, OCI DevOps). */
export { serve, type ProtocolHandler, type EmulatorRequest, type EmulatorResponse, type RunningServer, type ListenOptions } from "./core/server.js";
export { FaultController } from "./core/faults.js";
