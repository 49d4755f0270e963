import type { PipelineIR } from "@pipeglot/schema";
import type { LocalRunOptions } from "../options.js";
import type { Sandbox } from "../sandbox.js";
import type { Trace } from "../trace.js";

/** The reference interpreter of the format (placeholder until written). */
export async function runNeutral(ir: PipelineIR, _opts: LocalRunOptions, _sandbox: Sandbox): Promise<Trace> {
  return { target: "neutral", pipeline: ir.name, outcome: "failed", stages: [], jobs: [], notes: ["not written yet"] };
}
