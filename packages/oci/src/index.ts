/**
 * @pipeglot/oci — OCI DevOps: compile the neutral pipeline to build specs, a build pipeline and
 * its stages, a deploy pipeline for approvals, and triggers; import them back.
 */
import type { Provider } from "@pipeglot/core";
import { capabilities } from "./capabilities.js";
import { compile } from "./compile/index.js";
import { CODES } from "./diagnostics.js";
import { detect, importFiles } from "./import/index.js";
import { buildSpecsToCommit, connect, desired, formatSpecsToCommit, pull } from "./live/index.js";

export { capabilities } from "./capabilities.js";
export { compile } from "./compile/index.js";
export { CODES, type OciCode } from "./diagnostics.js";
export { detect, importFiles } from "./import/index.js";
export { tokenize, renderWord, quoteLiteral, literalOf, type Token, type WordSeg } from "./shell.js";
export { parseWrapped, type WrappedStep } from "./import/commands.js";
export * as conventions from "./conventions.js";
export { connect, devopsClient, desired, pull, buildSpecsToCommit, formatSpecsToCommit, OciLiveClient, OciSyncError, OciConnectError, OCI_ENDPOINT_ENV, benchOci, KIND as LIVE_KINDS } from "./live/index.js";
export type { SpecToCommit, OciSettings, BenchOciResult, OciResourceKind } from "./live/index.js";

export const provider: Provider = {
  id: "oci",
  displayName: "OCI DevOps",
  capabilities,
  codes: CODES,
  compile: (ir) => compile(ir),
  detect,
  import: (files, opts) => importFiles(files, opts),
  desired,
  // Build specs are read from the repository at run time: the plan says which files to commit.
  async preflight(_client, output) {
    const specs = buildSpecsToCommit(output);
    return { problems: [], notes: specs.length ? [`OCI reads build specs from the repository: make sure these are committed on the built branch:\n${formatSpecsToCommit(specs).replace(/^/gm, "  ")}`] : [] };
  },
  connect,
  pull,
};
export default provider;
