/**
 * @pipeglot/runtimes: run a pipeline locally — the neutral definition with the reference
 * interpreter, or a cloud's compiled output under a model of that cloud's runtime — and compare
 * the traces (issue 15).
 */
import type { ProviderOutput } from "@pipeglot/core";
import type { PipelineIR } from "@pipeglot/schema";
import { commandTexts, workingFolders, type RuntimeModel } from "./model.js";
import type { LocalRunOptions } from "./options.js";
import { Sandbox } from "./sandbox.js";
import type { Trace, TraceTarget } from "./trace.js";
import { runNeutral } from "./neutral/index.js";
import { awsModel } from "./aws/index.js";
import { azureModel } from "./azure/index.js";
import { gcpModel } from "./gcp/index.js";
import { ociModel } from "./oci/index.js";

export * from "./trace.js";
export * from "./trace-diff.js";
export * from "./options.js";
export { Sandbox, fileSet, matchFiles, interpreterCommand, type BashRun, type BashResult } from "./sandbox.js";
export { PLAIN_TOOLS, placeholderPaths } from "./recorder.js";
export { watchFor, observe, neutralJob, commandTexts, type RuntimeModel } from "./model.js";
export { runNeutral };
export { differentialRun, type DifferentialResult } from "./differential.js";

export const MODELS: Readonly<Record<Exclude<TraceTarget, "neutral">, RuntimeModel>> = { aws: awsModel, azure: azureModel, gcp: gcpModel, oci: ociModel };

/**
 * Runs the pipeline locally on `target`: the neutral definition, or `output` (what compile gave
 * for that cloud) under the cloud's model. The sandbox is removed afterwards unless `opts.scratch` was given.
 */
export async function runLocal(target: TraceTarget, ir: PipelineIR, output: ProviderOutput | undefined, opts: LocalRunOptions): Promise<Trace> {
  const sandbox = Sandbox.open(opts, commandTexts(ir), workingFolders(ir));
  try {
    if (target === "neutral") return await runNeutral(ir, opts, sandbox);
    if (!output) throw new Error(`runLocal(${target}) needs the compiled output`);
    return await MODELS[target].run(output, ir, opts, sandbox);
  } finally {
    sandbox.close();
  }
}
