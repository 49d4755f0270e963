/** Live sync with Azure DevOps: see README.md in this folder. */
export { connectAzure } from "./connect.js";
export { desiredResources, definitionOf, yamlFile, yamlTarget, type DesiredOptions, type YamlTarget } from "./desired.js";
export { checkYamlCommitted, preflight, preflightReport, syncPreflight, gitBlobId, type YamlCheck, type YamlStatus } from "./yaml.js";
export { pull, PullError } from "./pull.js";
export {
  AzureLiveClient,
  AzureApiError,
  KIND,
  APPROVAL_TYPE_ID,
  isRetryable,
  yamlKeyName,
  yamlOwner,
  parseYamlKey,
  type AzureClientOptions,
  type RetryOptions,
} from "./client.js";
export { resolveConfig, AzureConfigError, TOKEN_VARIABLES, ORG_URL_VARIABLE, PROJECT_VARIABLE, type ResolvedConfig } from "./config.js";
export { normalizeDefinition, normalizeEnvironment, normalizeCheck, canonicalDefinition } from "./normalize.js";
