import type { RuntimeModel } from "../model.js";

/** The gcp runtime model (placeholder until written). */
export const gcpModel: RuntimeModel = {
  target: "gcp",
  sources: [],
  async run(output, ir) {
    return { target: "gcp", pipeline: ir.name, outcome: "failed", stages: [], jobs: [], notes: [`not written yet (${output.files.length} files)`] };
  },
};
