/** Live sync with Google Cloud Build: desired resources, the LiveClient, pull. See README.md. */
export { desired } from "./desired.js";
export { pull } from "./pull.js";
export { connect, connectGcb, gcbSettings, loadTriggerSchema, GcbConnectError, GCB_ENDPOINT_ENV, type GcbSettings, type GcbConnectOptions } from "./connect.js";
export { GcbLiveClient, type CloudBuildApi, type GcbLiveClientOptions, type RestCall } from "./client.js";
export { GcbApiError, retryable, toApiError } from "./errors.js";
export { bodyHash, canonical, normalizeLive, OUTPUT_ONLY } from "./normalize.js";
export { triggerSchema, type TriggerSchema } from "./proto.js";
