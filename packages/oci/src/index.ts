/** @pipeglot/oci — OCI DevOps. (Skeleton: compile and import are being written.) */
import type { Provider } from "@pipeglot/core";

export const provider: Provider = {
  id: "oci",
  displayName: "OCI DevOps",
  capabilities: [],
  codes: {},
  compile(ir) {
    return { provider: "oci", pipeline: ir.name, files: [], diagnostics: [] };
  },
  detect() {
    return 0;
  },
  import() {
    return { diagnostics: [{ severity: "error", code: "PG-IMPORT-UNSUPPORTED", message: "import from OCI DevOps is not implemented yet", path: "" }] };
  },
};
export default provider;
