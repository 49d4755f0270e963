/**
 * The run graph of OCI DevOps output, read back with the DevOps resource models: the build
 * pipeline's stages with their predecessors, then the deploy pipeline's; a TRIGGER_DEPLOYMENT
 * stage links to the deploy pipeline's first stages.
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
import type { CreateBuildPipelineStageDetails, CreateBuildStageDetails, CreateDeployStageDetails, Predecessors } from "./native/resources.js";

interface StageNode {
  id: string;
  name: string;
  file: string;
  type: string;
  preds: string[];
}
/** What the graph reads of a stage of either pipeline. */
interface StageView {
  displayName?: string;
  type?: string;
  predecessors?: ReadBack<Predecessors>;
  shape?: ReadBack<CreateBuildStageDetails["buildRunnerShapeConfig"]>;
}
interface Part {
  kind: string;
  cluster: string;
  label: string;
  view: (f: OutputFile) => StageView | undefined;
}

/** `${buildStage.<name>.id}` / `${deployStage.<name>.id}`: the stage a predecessor names. */
const refName = (id: string) => /^\$\{(?:buildStage|deployStage)\.(.+)\.id\}$/.exec(id)?.[1];
const baseName = (p: string) => p.replace(/^.*\//, "").replace(/\.json$/, "");

const BUILD: Part = {
  kind: "oci.CreateBuildPipelineStageDetails",
  cluster: "oci/build",
  label: "build pipeline",
  view: (f) => {
    const s = readOutputFile<CreateBuildPipelineStageDetails>(f);
    if (!s || Array.isArray(s)) return undefined;
    const shape = "buildRunnerShapeConfig" in s ? s.buildRunnerShapeConfig : undefined;
    return { displayName: textOf(s.displayName), type: textOf(s.buildPipelineStageType), predecessors: s.buildPipelineStagePredecessorCollection, shape };
  },
};
const DEPLOY: Part = {
  kind: "oci.CreateDeployStageDetails",
  cluster: "oci/deploy",
  label: "deploy pipeline",
  view: (f) => {
    const s = readOutputFile<CreateDeployStageDetails>(f);
    if (!s || Array.isArray(s)) return undefined;
    return { displayName: textOf(s.displayName), type: textOf(s.deployStageType), predecessors: s.deployStagePredecessorCollection };
  },
};

function stageDetail(v: StageView, type: string): string {
  const shape =
    typeof v.shape === "object" && v.shape !== null
      ? `${textOf(v.shape.ocpus) ?? "?"} OCPU / ${textOf(v.shape.memoryInGBs) ?? "?"} GB`
      : type === "BUILD"
        ? "default runner shape"
        : "";
  return [type, shape].filter(Boolean).join(" · ");
}

/** One pipeline's stages as nodes in its cluster, with the edges from their predecessors. */
function partNodes(b: RunGraphBuilder, files: readonly OutputFile[], part: Part): StageNode[] {
  const stages = filesOfKind(files, part.kind).flatMap((f) => {
    const v = part.view(f);
    return v ? [{ f, v }] : [];
  });
  if (!stages.length) return [];
  const cluster = b.cluster(part.cluster, part.label);
  const nodes = stages.map(({ f, v }): StageNode => {
    const name = v.displayName ?? baseName(f.path);
    const type = v.type ?? "";
    const kind: RunNodeKind = /APPROVAL/.test(type) ? "approval" : /TRIGGER_DEPLOYMENT/.test(type) ? "trigger" : part === DEPLOY ? "deploy" : "job";
    const id = b.node({ id: `${cluster}/${name}`, label: name, kind, cluster, detail: stageDetail(v, type) });
    const preds = listOf(v.predecessors?.items).map((x) => textOf(x.id));
    return { id, name, file: baseName(f.path), type, preds: preds.filter((x): x is string => !!x) };
  });
  const find = (ref: string) => {
    const n = refName(ref);
    return n === undefined ? undefined : nodes.find((x) => x.name === n || x.file === n || x.id.endsWith(`/${n}`));
  };
  for (const n of nodes)
    for (const p of n.preds) {
      const from = find(p);
      if (from) b.edge(from.id, n.id);
    }
  return nodes;
}

/** The graph OCI DevOps runs for this output. */
export function runGraph(files: readonly OutputFile[]): RunGraph {
  const b = new RunGraphBuilder("oci");
  const build = partNodes(b, files, BUILD);
  const deploy = partNodes(b, files, DEPLOY);
  if (!build.length && !deploy.length) return b.done("no graph: no OCI build or deploy stage files in the output");
  const deployRoots = deploy.filter((d) => !d.preds.some((p) => refName(p) !== undefined));
  for (const t of build.filter((x) => /TRIGGER_DEPLOYMENT/.test(x.type))) for (const r of deployRoots) b.edge(t.id, r.id, "triggers deployment");
  return b.done();
}

/** Pipelines, stages, artifacts and triggers are API resources; build specs are read from the repository. */
export const fileRoles = (files: readonly OutputFile[]): FileRole[] => fileRolesBy(files, { resource: /^oci\.Create/, repository: /^oci\.BuildSpec$/ });
