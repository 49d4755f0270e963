/**
 * @pipeglot/oci — OCI DevOps: compile the neutral pipeline to build specs, a build pipeline and
 * its stages, a deploy pipeline for approvals, and triggers; import them back.
 */
import type { Provider } from "@pipeglot/core";
import type { OciTarget } from "@pipeglot/schema";
import { capabilities } from "./capabilities.js";
import { compile } from "./compile/index.js";
import { CODES } from "./diagnostics.js";
import { detect, importFiles } from "./import/index.js";
import { links } from "./import/links.js";
import { buildSpecsToCommit, connect, desired, pull, type OciLiveClient } from "./live/index.js";
import { cost, priceSchema } from "./cost.js";
import { fileRoles, runGraph } from "./run-graph.js";
import { operate } from "./operate/index.js";

export { capabilities } from "./capabilities.js";
export { compile } from "./compile/index.js";
export { CODES, type OciCode } from "./diagnostics.js";
export { detect, importFiles } from "./import/index.js";
export { tokenize, renderWord, quoteLiteral, literalOf, type Token, type WordSeg } from "./shell.js";
export { parseWrapped, type WrappedStep } from "./import/commands.js";
export * as conventions from "./conventions.js";
export {
  connect,
  devopsClient,
  desired,
  pull,
  buildSpecsToCommit,
  formatSpecsToCommit,
  OciLiveClient,
  OciSyncError,
  OciConnectError,
  OCI_ENDPOINT_ENV,
  KIND as LIVE_KINDS,
} from "./live/index.js";
export type { SpecToCommit, OciSettings, OciResourceKind } from "./live/index.js";

export const provider: Provider<OciTarget, OciLiveClient> = {
  id: "oci",
  displayName: "OCI DevOps",
  capabilities,
  codes: CODES,
  compile: (ir) => compile(ir),
  detect,
  fileNames: /build_spec[^/]*\.ya?ml$/i,
  import: (files, opts) => importFiles(files, opts),
  links,
  runGraph,
  fileRoles,
  priceSchema,
  cost,
  live: {
    target: (targets) => targets.oci ?? {},
    connect,
    desired,
    // BUILD stages read their build specs from the repository at run time: they are repository
    // files (compared with the working tree by plan, written there by apply).
    repositoryFiles: (output) => buildSpecsToCommit(output).map(({ path, content }) => ({ path, content })),
    preflight: async () => ({ problems: [], notes: [] }),
    pull,
    operate,
  },
};
export default provider;
