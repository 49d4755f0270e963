/** @pipeglot/azure — Azure Pipelines. (Skeleton: compile and import are being written.) */
import type { Provider } from "@pipeglot/core";

export const provider: Provider = {
  id: "azure",
  displayName: "Azure Pipelines",
  capabilities: [],
  codes: {},
  compile(ir) {
    return { provider: "azure", pipeline: ir.name, files: [], diagnostics: [] };
  },
  detect() {
    return 0;
  },
  import() {
    return { diagnostics: [{ severity: "error", code: "PG-IMPORT-UNSUPPORTED", message: "import from Azure Pipelines is not implemented yet", path: "" }] };
  },
};
export default provider;
