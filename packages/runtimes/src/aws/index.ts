/**
 * The AWS runtime model: runs pipeglot's AWS compile output (pipeline.json, codebuild/*.json with
 * their buildspecs, transitions.json) as CodePipeline and CodeBuild would, on this machine.
 * cloudformation.yaml holds the same pipeline and is not read.
 */
import type { ProviderOutput } from "@pipeglot/core";
import type { PipelineIR } from "@pipeglot/schema";
import type { RuntimeModel } from "../model.js";
import type { LocalRunOptions } from "../options.js";
import type { Sandbox } from "../sandbox.js";
import { finishTrace, type JobTrace, type StageStatus, type Trace } from "../trace.js";
import { ArtifactStore } from "./artifacts.js";
import { readCompiled, type Compiled, type Stage } from "./compiled.js";
import { runStage, skippedStage } from "./pipeline.js";
import { SOURCES } from "./sources.js";

/** The neutral stage a CodePipeline stage stands for: the same name, else the same name with AWS's disallowed characters folded. */
function neutralStage(ir: PipelineIR, aws: string): string {
  const fold = (n: string) => n.replace(/[^A-Za-z0-9.@_-]+/g, "-").toLowerCase();
  return ir.stages.find((s) => s.name === aws)?.name ?? ir.stages.find((s) => fold(s.name) === aws.toLowerCase())?.name ?? aws;
}

async function run(output: ProviderOutput, ir: PipelineIR, opts: LocalRunOptions, sandbox: Sandbox): Promise<Trace> {
  const c: Compiled = readCompiled(output);
  const store = new ArtifactStore(sandbox);
  const notes: string[] = [];
  const jobs: JobTrace[] = [];
  const statuses = new Map<string, StageStatus>();
  let stopped = false;
  let failed = false;
  for (const stage of c.pipeline.stages) {
    if (isSourceStage(stage)) {
      // The source action's output artifact: the repository at the run's commit (DOCS.codeBuildAction, input artifacts).
      for (const a of stage.actions) for (const o of a.outputArtifacts ?? []) store.setSource(o.name);
      continue;
    }
    const neutral = neutralStage(ir, stage.name);
    // A disabled inbound transition holds the run before the stage (DOCS.transitions, DOCS.disableTransition).
    if (!stopped && c.disabled.has(stage.name)) {
      statuses.set(neutral, "held");
      stopped = true;
      jobs.push(...skippedStage(c, stage, neutral));
      continue;
    }
    if (stopped) {
      statuses.set(neutral, "skipped");
      jobs.push(...skippedStage(c, stage, neutral));
      continue;
    }
    const ctx = { ir, opts, sandbox, store, scope: { pipeline: c.pipeline, opts }, notes, stage: neutral };
    const r = await runStage(ctx, c, stage);
    jobs.push(...r.jobs);
    statuses.set(neutral, r.status);
    opts.onProgress?.({ kind: "stage-end", name: neutral, status: r.status });
    // A failed stage stops the pipeline execution: later stages do not run (DOCS.pipelineStructure).
    if (r.status !== "succeeded") {
      stopped = true;
      failed = true;
    }
  }
  const stages = ir.stages.map((s) => ({ name: s.name, status: statuses.get(s.name) ?? notCompiled(notes, s.name) }));
  return finishTrace({ target: "aws", pipeline: ir.name, outcome: failed ? "failed" : "succeeded", stages, jobs, notes });
}

function isSourceStage(stage: Stage): boolean {
  return stage.actions.length > 0 && stage.actions.every((a) => a.actionTypeId.category === "Source");
}

function notCompiled(notes: string[], stage: string): StageStatus {
  notes.push(`stage ${stage} has no CodePipeline stage: reported skipped`);
  return "skipped";
}

/** The aws runtime model (rules cited from the pages in `sources`; see ${DOCS.pipelineStructure}). */
export const awsModel: RuntimeModel = { target: "aws", sources: SOURCES, run };
