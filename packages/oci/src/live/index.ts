/** Live sync with OCI DevOps: desired resources, the LiveClient, pull. See README.md. */
export { desired, buildSpecsToCommit, formatSpecsToCommit, orderResources, type SpecToCommit } from "./desired.js";
export { connect, devopsClient, ociSettings, OciConnectError, OCI_ENDPOINT_ENV, type OciSettings } from "./connect.js";
export { OciLiveClient, OciSyncError, retryable, type OciClientSettings } from "./client.js";
export { pull, cliShape } from "./pull.js";
export { canonical, symbolsIn, resolveSymbols, reverseSymbols } from "./normalize.js";
export { KIND, KIND_ORDER, FILE_KINDS, TARGET_SYMBOLS, symbolOf, type OciResourceKind } from "./kinds.js";
export { sdkApi, type DevopsApi, type KindApi } from "./api.js";
