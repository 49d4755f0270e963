/** @pipeglot/aws — AWS CodePipeline (V2) + CodeBuild. (Skeleton: compile and import are being written.) */
import type { Provider } from "@pipeglot/core";

export const provider: Provider = {
  id: "aws",
  displayName: "AWS CodePipeline (V2) + CodeBuild",
  capabilities: [],
  codes: {},
  compile(ir) {
    return { provider: "aws", pipeline: ir.name, files: [], diagnostics: [] };
  },
  detect() {
    return 0;
  },
  import() {
    return { diagnostics: [{ severity: "error", code: "PG-IMPORT-UNSUPPORTED", message: "import from AWS CodePipeline (V2) + CodeBuild is not implemented yet", path: "" }] };
  },
};
export default provider;
