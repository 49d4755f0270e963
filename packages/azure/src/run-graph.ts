/**
 * The run graph of Azure output, read back from azure-pipelines.yml: stages with their jobs,
 * `dependsOn` between jobs of a stage and between stages (absent on a stage: the previous stage);
 * a stage condition other than `succeeded()` labels the edges into it.
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
} from "@pipeglot/core";
import { readDependsOn, type AzPipeline } from "./native/pipeline.js";

/** The members of a job (or deployment job) the graph reads. https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/jobs-job */
interface JobView {
  job?: string;
  deployment?: string;
  template?: string;
  displayName?: string;
  dependsOn?: string | string[];
  environment?: string | { name?: string };
  strategy?: { matrix?: Record<string, unknown> };
}
/** The members of a stage the graph reads. https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/stages-stage */
interface StageView {
  stage?: string;
  displayName?: string;
  dependsOn?: string | string[];
  condition?: string;
  jobs?: JobView[];
}
/** A pipeline with stages, or (single-stage forms) with jobs or steps at the top. */
type PipelineView = ReadBack<Omit<AzPipeline, "stages">> & { stages?: StageView[]; jobs?: JobView[]; steps?: unknown[] };

const jobName = (j: ReadBack<JobView>, k: number) => textOf(j.job) ?? textOf(j.deployment) ?? textOf(j.template) ?? `job${k + 1}`;

function jobDetail(j: ReadBack<JobView>): string {
  const env = typeof j.environment === "object" && j.environment !== null ? textOf(j.environment.name) : textOf(j.environment);
  const matrix = typeof j.strategy?.matrix === "object" && j.strategy.matrix !== null ? Object.keys(j.strategy.matrix).length : 0;
  return [j.deployment ? "deployment" : "", env ? `environment ${env}` : "", matrix ? `matrix ×${matrix}` : ""].filter(Boolean).join(" · ");
}

/** One stage's jobs as nodes with their dependsOn edges; its entry (root) and exit (sink) jobs. */
function stageJobs(b: RunGraphBuilder, s: ReadBack<StageView>, sname: string): { roots: string[]; sinks: string[] } {
  const cluster = b.cluster(`azure/${sname}`, textOf(s.displayName) ?? (sname === "__default" ? "pipeline" : sname));
  const ids = new Map<string, string>();
  const needs = new Map<string, string[]>();
  listOf(s.jobs).forEach((j, k) => {
    const name = jobName(j, k);
    const detail = jobDetail(j);
    ids.set(
      name,
      b.node({ id: `${cluster}/${name}`, label: textOf(j.displayName) ?? name, kind: j.deployment ? "deploy" : "job", cluster, ...(detail ? { detail } : {}) }),
    );
    needs.set(name, readDependsOn(j.dependsOn) ?? []);
  });
  for (const [name, deps] of needs) for (const d of deps) if (ids.has(d)) b.edge(ids.get(d)!, ids.get(name)!);
  const needed = new Set([...needs.values()].flat());
  return {
    roots: [...ids].filter(([n]) => !(needs.get(n) ?? []).some((d) => ids.has(d))).map(([, id]) => id),
    sinks: [...ids].filter(([n]) => !needed.has(n)).map(([, id]) => id),
  };
}

/** The graph Azure Pipelines runs for this output. */
export function runGraph(files: readonly OutputFile[]): RunGraph {
  const b = new RunGraphBuilder("azure");
  const file = filesOfKind(files, "azure.PipelineYaml")[0];
  if (!file) return b.done("no graph: no azure.PipelineYaml file in the output");
  const doc = readOutputFile<PipelineView>(file);
  if (!doc || Array.isArray(doc)) return b.done(`no graph: ${file.path} is not a YAML mapping`);
  const stages: ReadBack<StageView>[] = Array.isArray(doc.stages)
    ? listOf(doc.stages)
    : [{ stage: "__default", jobs: (doc.jobs as ReadBack<JobView>[] | undefined) ?? [{ job: "job" }] }];
  const names = stages.map((s, i) => textOf(s.stage) ?? `stage${i + 1}`);
  const jobsOf = new Map(stages.map((s, i) => [names[i]!, stageJobs(b, s, names[i]!)] as const));
  stages.forEach((s, i) => {
    const deps = readDependsOn(s.dependsOn) ?? (i > 0 ? [names[i - 1]!] : []);
    const condition = textOf(s.condition);
    const label = condition && condition !== "succeeded()" ? condition : undefined;
    for (const d of deps) for (const f of jobsOf.get(d)?.sinks ?? []) for (const t of jobsOf.get(names[i]!)?.roots ?? []) b.edge(f, t, label);
  });
  return b.done();
}

/** The build definition, environments and checks are API resources; azure-pipelines.yml is read from the repository. */
export const fileRoles = (files: readonly OutputFile[]): FileRole[] =>
  fileRolesBy(files, { resource: /^azure\.(BuildDefinition|Environment|CheckConfiguration)$/, repository: /^azure\.PipelineYaml$/ });
