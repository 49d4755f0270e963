import type { RuntimeModel } from "../model.js";

/** The aws runtime model (placeholder until written). */
export const awsModel: RuntimeModel = {
  target: "aws",
  sources: [],
  async run(output, ir) {
    return { target: "aws", pipeline: ir.name, outcome: "failed", stages: [], jobs: [], notes: [`not written yet (${output.files.length} files)`] };
  },
};
