/**
 * The OCI DevOps runtime model: runs pipeglot's OCI compile output (build pipeline, build specs,
 * deploy pipeline, command specs, deploy artifacts) on this machine as OCI DevOps would, and
 * writes the neutral trace. Each rule is cited in the module that implements it (docs.ts lists
 * the pages).
 */
import { join } from "node:path";
import type { RuntimeModel } from "../model.js";
import { runBuildPipeline } from "./build-pipeline.js";
import type { RunContext } from "./context.js";
import { DOCS } from "./docs.js";
import { parameterValues } from "./env.js";
import { readOutput } from "./files.js";
import { writeStandIns } from "./standins.js";
import { buildTrace } from "./trace.js";

export const ociModel: RuntimeModel = {
  target: "oci",
  sources: Object.values(DOCS),
  async run(output, ir, opts, sandbox) {
    const files = readOutput(output);
    const standins = writeStandIns(join(sandbox.root, "oci"));
    const ctx: RunContext = {
      ir,
      opts,
      sandbox,
      files,
      path: `${standins}:${sandbox.baseEnv().PATH}`,
      runId: `ocid1.devopsbuildrun.oc1..local${opts.inputs.commit.slice(0, 12)}`,
      params: parameterValues(files.parameters, opts.inputs),
      exported: {},
      stageArtifacts: new Map(),
      registry: join(sandbox.root, "oci", "artifact-registry"),
      jobs: new Map(),
      rejected: new Set(),
      pipelineFailed: false,
      notes: [],
    };
    await runBuildPipeline(ctx);
    return buildTrace(ctx);
  },
};
