import type { RuntimeModel } from "../model.js";

/** The oci runtime model (placeholder until written). */
export const ociModel: RuntimeModel = {
  target: "oci",
  sources: [],
  async run(output, ir) {
    return { target: "oci", pipeline: ir.name, outcome: "failed", stages: [], jobs: [], notes: [`not written yet (${output.files.length} files)`] };
  },
};
