/**
 * @pipeglot/aws — AWS CodePipeline (V2) + CodeBuild: compile, import, capabilities, name rules.
 * No AWS SDK is imported here: live/connect.ts loads it with import() when a live client is made.
 */
import type { Provider } from "@pipeglot/core";
import type { AwsTarget } from "@pipeglot/schema";
import { capabilities } from "./capabilities.js";
import { compile } from "./compile/index.js";
import { CODES } from "./diagnostics.js";
import { detect, importFiles } from "./import/index.js";
import { links } from "./import/links.js";
import { connect, desired, pull, type AwsLiveClient } from "./live/index.js";
import { cost, priceSchema } from "./cost.js";
import { operate } from "./operate/index.js";
import { fileRoles, runGraph } from "./run-graph.js";

export const provider: Provider<AwsTarget, AwsLiveClient> = {
  id: "aws",
  displayName: "AWS CodePipeline (V2) + CodeBuild",
  capabilities,
  codes: CODES,
  compile,
  detect,
  fileNames: /^buildspec[^/]*\.ya?ml$/i,
  import: importFiles,
  links,
  runGraph,
  fileRoles,
  priceSchema,
  cost,
  live: {
    target: (targets) => targets.aws ?? {},
    connect,
    desired,
    repositoryFiles: () => [],
    preflight: async () => ({ problems: [], notes: [] }),
    pull,
    operate,
  },
};

export default provider;
export { compile } from "./compile/index.js";
export { detect, importFiles } from "./import/index.js";
export { capabilities } from "./capabilities.js";
export { CODES, type AwsCode } from "./diagnostics.js";
export * as encoding from "./encoding.js";
export { operate } from "./operate/index.js";
export type * from "./native/codepipeline.js";
export type * from "./native/codebuild.js";
export type { Template } from "./native/cloudformation.js";
export { CFN_TAGS } from "./native/cloudformation.js";
export {
  desired,
  connect,
  connectAws,
  pull,
  AwsLiveClient,
  AwsApiError,
  AwsConnectError,
  awsSettings,
  KIND_PIPELINE,
  KIND_PROJECT,
  KIND_TRANSITIONS,
} from "./live/index.js";
export type { AwsCall, AwsLiveClientOptions, AwsSettings, AwsConnectTuning } from "./live/index.js";
