/**
 * The run graph of AWS output, read back with the CodePipeline/CodeBuild models: pipeline.json's
 * stages one after another, each stage's actions in runOrder groups; a disabled transition labels
 * the edges into its stage. Facts: the pipeline type and execution mode (the cost estimate uses them).
 */
import {
  RunGraphBuilder,
  fileRolesBy,
  type FileRole,
  filesOfKind,
  listOf,
  readOutputFile,
  textOf,
  type OutputFile,
  type ReadBack,
  type RunGraph,
  type RunNodeKind,
} from "@pipeglot/core";
import type { CreateProjectInput } from "./native/codebuild.js";
import type { CreatePipelineInput, PipelineDeclaration, StageDeclaration, Transition } from "./native/codepipeline.js";

type Pipeline = ReadBack<PipelineDeclaration>;

/** pipeline.json holds a CreatePipelineInput; a bare PipelineDeclaration is read too. */
function pipelineOf(data: ReadBack<CreatePipelineInput> | undefined): Pipeline | undefined {
  if (!data || Array.isArray(data)) return undefined;
  if (typeof data.pipeline === "object" && data.pipeline !== null) return data.pipeline;
  const bare = data as Pipeline;
  return Array.isArray(bare.stages) ? bare : undefined;
}

function computeTypes(files: readonly OutputFile[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of filesOfKind(files, "codebuild.CreateProjectInput")) {
    const p = readOutputFile<CreateProjectInput>(f);
    const name = textOf(p?.name);
    const ct = textOf(p?.environment?.computeType);
    if (name && ct) out.set(name, ct);
  }
  return out;
}

function disabledTransitions(files: readonly OutputFile[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of filesOfKind(files, "codepipeline.Transitions")) {
    for (const t of listOf<ReadBack<Transition>>(readOutputFile<Transition[]>(f))) {
      const stage = textOf(t.stageName);
      if (stage) out.set(stage, textOf(t.reason) ?? "");
    }
  }
  return out;
}

/** One stage's actions as nodes, grouped by runOrder (ascending). */
function stageGroups(b: RunGraphBuilder, stage: ReadBack<StageDeclaration>, cluster: string, computeOf: Map<string, string>): string[][] {
  const groups = new Map<number, string[]>();
  for (const action of listOf(stage.actions)) {
    const name = textOf(action.name) ?? "action";
    const type = typeof action.actionTypeId === "object" && action.actionTypeId !== null ? action.actionTypeId : {};
    const category = textOf(type.category) ?? "";
    const kind: RunNodeKind = category === "Approval" ? "approval" : category === "Source" ? "source" : "action";
    const project = textOf(action.configuration?.ProjectName);
    const detail = [textOf(type.provider), project && computeOf.get(project)].filter(Boolean).join(" · ");
    const id = b.node({ id: `${cluster}/${name}`, label: name, kind, cluster, ...(detail ? { detail } : {}) });
    const order = Number(action.runOrder ?? 1) || 1;
    groups.set(order, [...(groups.get(order) ?? []), id]);
  }
  return [...groups.keys()].sort((a, c) => a - c).map((o) => groups.get(o)!);
}

/** The graph CodePipeline runs for this output. */
export function runGraph(files: readonly OutputFile[]): RunGraph {
  const b = new RunGraphBuilder("aws");
  const file = filesOfKind(files, "codepipeline.CreatePipelineInput")[0];
  if (!file) return b.done("no graph: no codepipeline.CreatePipelineInput file in the output");
  const pipeline = pipelineOf(readOutputFile<CreatePipelineInput>(file));
  if (!pipeline) return b.done(`no graph: ${file.path} has no pipeline`);
  const pipelineType = textOf(pipeline.pipelineType);
  const executionMode = textOf(pipeline.executionMode);
  if (pipelineType) b.facts.pipelineType = pipelineType;
  if (executionMode) b.facts.executionMode = executionMode;
  const computeOf = computeTypes(files);
  const disabled = disabledTransitions(files);
  let previous: string[] = [];
  for (const [si, stage] of (Array.isArray(pipeline.stages) ? pipeline.stages : []).entries()) {
    if (typeof stage !== "object" || stage === null) continue;
    const sname = textOf(stage.name) ?? `stage-${si + 1}`;
    const cluster = b.cluster(`aws/${sname}`, sname);
    const groups = stageGroups(b, stage, cluster, computeOf);
    const reason = disabled.get(sname);
    const entryLabel = reason === undefined ? undefined : `transition disabled${reason ? `: ${reason}` : ""}`;
    groups.forEach((group, k) => {
      for (const f of k === 0 ? previous : groups[k - 1]!) for (const t of group) b.edge(f, t, k === 0 ? entryLabel : undefined);
    });
    if (groups.length) previous = groups[groups.length - 1]!;
  }
  return b.done();
}

/** pipeline.json, the transitions and the CodeBuild projects are API resources; cloudformation.yaml creates the same ones another way. */
export const fileRoles = (files: readonly OutputFile[]): FileRole[] =>
  fileRolesBy(files, { resource: /^(codepipeline\.|codebuild\.CreateProjectInput$)/, alternative: /^cloudformation\.Template$/ });
