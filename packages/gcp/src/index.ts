/** @pipeglot/gcp — Google Cloud Build. (Skeleton: compile and import are being written.) */
import type { Provider } from "@pipeglot/core";

export const provider: Provider = {
  id: "gcp",
  displayName: "Google Cloud Build",
  capabilities: [],
  codes: {},
  compile(ir) {
    return { provider: "gcp", pipeline: ir.name, files: [], diagnostics: [] };
  },
  detect() {
    return 0;
  },
  import() {
    return { diagnostics: [{ severity: "error", code: "PG-IMPORT-UNSUPPORTED", message: "import from Google Cloud Build is not implemented yet", path: "" }] };
  },
};
export default provider;
