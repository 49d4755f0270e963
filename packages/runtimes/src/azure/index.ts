/**
 * The Azure Pipelines runtime model: runs pipeglot's compiled azure-pipelines.yml on this machine
 * as a Microsoft-hosted Linux agent would (see README.md `## azure` and each module's citations).
 */
import type { RuntimeModel } from "../model.js";
import { finishTrace } from "../trace.js";
import { loadPipeline } from "./load.js";
import { dependencyOrder, runStage, type RunState } from "./run.js";
import { AZURE_SOURCES } from "./sources.js";

function checkedEnvironments(files: readonly { kind: string; content: string }[]): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    if (f.kind !== "azure.CheckConfiguration") continue;
    const c = JSON.parse(f.content) as { resource?: { type?: string; name?: string } };
    if (c.resource?.type === "environment" && c.resource.name) out.add(c.resource.name);
  }
  return out;
}

export const azureModel: RuntimeModel = {
  target: "azure",
  sources: AZURE_SOURCES,
  async run(output, ir, opts, sandbox) {
    const yamlFile = output.files.find((f) => f.kind === "azure.PipelineYaml");
    if (!yamlFile)
      return finishTrace({ target: "azure", pipeline: ir.name, outcome: "failed", stages: [], jobs: [], notes: ["the compile wrote no pipeline YAML"] });
    const pipeline = loadPipeline(yamlFile.content, opts.inputs.variables);
    const st: RunState = {
      pipeline,
      ir,
      opts,
      sandbox,
      checkedEnvironments: checkedEnvironments(output.files),
      published: new Set(),
      rejected: new Set(),
      notes: [...pipeline.notes],
      jobs: [],
      stages: [],
      stageResults: new Map(),
      failed: false,
    };
    for (const stage of dependencyOrder(pipeline.stages)) await runStage(st, stage);
    const order = pipeline.stages.map((s) => s.displayName ?? s.id);
    const stages = [...st.stages].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    return finishTrace({ target: "azure", pipeline: ir.name, outcome: st.failed ? "failed" : "succeeded", stages, jobs: st.jobs, notes: st.notes });
  },
};
