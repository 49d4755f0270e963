import type { RuntimeModel } from "../model.js";

/** The azure runtime model (placeholder until written). */
export const azureModel: RuntimeModel = {
  target: "azure",
  sources: [],
  async run(output, ir) {
    return { target: "azure", pipeline: ir.name, outcome: "failed", stages: [], jobs: [], notes: [`not written yet (${output.files.length} files)`] };
  },
};
