/**
 * @pipeglot/gcp — Google Cloud Build: compile (IR → cloudbuild.yaml + BuildTriggers), import
 * (cloudbuild.yaml / .json, exported triggers → IR), detect, capabilities and diagnostic codes,
 * and live sync (desired / connect / pull: see src/live/README.md).
 */
import type { Provider } from "@pipeglot/core";
import type { GcpTarget } from "@pipeglot/schema";
import { capabilities } from "./capabilities.js";
import { compile } from "./compile/index.js";
import { CODES } from "./diagnostics.js";
import { detect, importFiles } from "./import/index.js";
import { connect, desired, pull, type GcbLiveClient } from "./live/index.js";
import { cost, priceSchema } from "./cost.js";
import { fileRoles, runGraph } from "./run-graph.js";
import { operate } from "./operate/index.js";

export { capabilities, compile, CODES, detect, importFiles };
export { connect, desired, pull };
export { connectGcb, gcbSettings, GcbConnectError, GcbLiveClient, GcbApiError, GCB_ENDPOINT_ENV, normalizeLive, canonical, bodyHash } from "./live/index.js";
export type { GcbSettings } from "./live/index.js";
export { KIND_BUILD, KIND_TRIGGER } from "./compile/index.js";
export { applySubstitutions, escapeSubstitutions, parseSubstitutions } from "./native/substitution.js";
export { globsToRegex, regexToGlobs } from "./glob.js";
export type { Build, BuildStep } from "./native/build.js";
export type { BuildTrigger } from "./native/trigger.js";

export const provider: Provider<GcpTarget, GcbLiveClient> = {
  id: "gcp",
  displayName: "Google Cloud Build",
  capabilities,
  codes: CODES,
  compile: (ir) => compile(ir),
  detect,
  fileNames: /cloudbuild[^/]*\.(ya?ml|json)$/i,
  import: (files, opts) => importFiles(files, opts),
  runGraph,
  fileRoles,
  priceSchema,
  cost,
  live: {
    target: (targets) => targets.gcp ?? {},
    connect,
    desired,
    repositoryFiles: () => [],
    preflight: async () => ({ problems: [], notes: [] }),
    pull,
    operate,
  },
};
export default provider;
