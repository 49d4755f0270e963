/**
 * The graph of a pipeline AS A PROVIDER WILL RUN IT, read back from the compiled files by kind
 * (public vendor shapes, not pipeglot's internals):
 *
 *   aws    pipeline.json stages → actions; actions of one stage run in runOrder groups, stages one after another
 *   azure  azure-pipelines.yml stages/jobs with dependsOn (absent on a stage: the previous stage)
 *   gcp    each trigger's build (inline `build` or its `filename`) as a cluster; steps with waitFor
 *          (absent: all previous steps; "-": none); a step that runs another trigger links the clusters
 *   oci    build pipeline stages with their predecessors, then the deploy pipeline
 *
 * Tolerant: a missing or unreadable file gives a graph with `none` saying why, never a throw.
 */
import { parse as parseYaml } from "yaml";
import type { ProviderId } from "@pipeglot/schema";
import type { OutputFile } from "../provider.js";
import { isObject } from "../guards.js";

export type RunNodeKind = "source" | "action" | "approval" | "job" | "step" | "stage" | "trigger" | "deploy";

export interface RunNode {
  id: string;
  label: string;
  kind: RunNodeKind;
  cluster?: string;
  /** Extra facts shown on hover (machine type, environment, …). */
  detail?: string;
}
export interface RunEdge {
  from: string;
  to: string;
  label?: string;
}
export interface RunCluster {
  id: string;
  label: string;
}
export interface RunGraph {
  provider: ProviderId;
  clusters: RunCluster[];
  nodes: RunNode[];
  edges: RunEdge[];
  /** Set when there is no graph to draw, saying why. */
  none?: string;
  /** Facts read on the way that other parts of the report use (e.g. the CodePipeline type). */
  facts: Record<string, string>;
}

type Obj = Record<string, unknown>;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);

function parseFile(f: OutputFile): unknown {
  try {
    return f.path.endsWith(".json") || f.content.trimStart().startsWith("{") || f.content.trimStart().startsWith("[") ? JSON.parse(f.content) : parseYaml(f.content);
  } catch {
    try {
      return parseYaml(f.content);
    } catch {
      return undefined;
    }
  }
}

const byKind = (files: readonly OutputFile[], kind: string) => files.filter((f) => f.kind === kind);

class Builder {
  clusters: RunCluster[] = [];
  nodes: RunNode[] = [];
  edges: RunEdge[] = [];
  facts: Record<string, string> = {};
  private ids = new Set<string>();
  private edgeKeys = new Set<string>();
  constructor(readonly provider: ProviderId) {}
  cluster(id: string, label: string): string {
    if (!this.clusters.some((c) => c.id === id)) this.clusters.push({ id, label });
    return id;
  }
  node(n: RunNode): string {
    let id = n.id;
    for (let i = 2; this.ids.has(id); i++) id = `${n.id}~${i}`;
    this.ids.add(id);
    this.nodes.push({ ...n, id });
    return id;
  }
  edge(from: string, to: string, label?: string): void {
    const key = `${from}\u0000${to}`;
    if (from === to || this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.edges.push({ from, to, ...(label ? { label } : {}) });
  }
  done(none?: string): RunGraph {
    if (!this.nodes.length && !none) none = "no graph: the output has no runnable units";
    return { provider: this.provider, clusters: this.clusters, nodes: this.nodes, edges: this.edges, facts: this.facts, ...(none ? { none } : {}) };
  }
}

// ---------------------------------------------------------------- AWS

function awsGraph(files: readonly OutputFile[]): RunGraph {
  const b = new Builder("aws");
  const file = byKind(files, "codepipeline.CreatePipelineInput")[0];
  if (!file) return b.done("no graph: no codepipeline.CreatePipelineInput file in the output");
  const data = parseFile(file);
  const pipeline = isObject(data) && isObject(data.pipeline) ? data.pipeline : isObject(data) && Array.isArray(data.stages) ? data : undefined;
  if (!pipeline) return b.done(`no graph: ${file.path} has no pipeline`);
  if (str(pipeline.pipelineType)) b.facts.pipelineType = str(pipeline.pipelineType)!;
  if (str(pipeline.executionMode)) b.facts.executionMode = str(pipeline.executionMode)!;
  const computeOf = new Map<string, string>();
  for (const f of byKind(files, "codebuild.CreateProjectInput")) {
    const p = parseFile(f);
    if (isObject(p) && str(p.name) && isObject(p.environment) && str(p.environment.computeType)) computeOf.set(p.name as string, p.environment.computeType as string);
  }
  const disabled = new Map<string, string>();
  for (const f of byKind(files, "codepipeline.Transitions")) {
    for (const t of arr(parseFile(f))) if (isObject(t) && str(t.stageName)) disabled.set(t.stageName as string, str(t.reason) ?? "");
  }
  let previous: string[] = [];
  for (const [si, stage] of arr(pipeline.stages).entries()) {
    if (!isObject(stage)) continue;
    const sname = str(stage.name) ?? `stage-${si + 1}`;
    const cluster = b.cluster(`aws/${sname}`, sname);
    const groups = new Map<number, string[]>();
    for (const action of arr(stage.actions)) {
      if (!isObject(action)) continue;
      const name = str(action.name) ?? "action";
      const type = isObject(action.actionTypeId) ? action.actionTypeId : {};
      const category = str(type.category) ?? "";
      const kind: RunNodeKind = category === "Approval" ? "approval" : category === "Source" ? "source" : "action";
      const project = isObject(action.configuration) ? str(action.configuration.ProjectName) : undefined;
      const detail = [str(type.provider), project && computeOf.get(project)].filter(Boolean).join(" · ");
      const id = b.node({ id: `${cluster}/${name}`, label: name, kind, cluster, ...(detail ? { detail } : {}) });
      const order = Number(action.runOrder ?? 1) || 1;
      groups.set(order, [...(groups.get(order) ?? []), id]);
    }
    const orders = [...groups.keys()].sort((a, c) => a - c);
    const entryLabel = disabled.has(sname) ? `transition disabled${disabled.get(sname) ? `: ${disabled.get(sname)}` : ""}` : undefined;
    orders.forEach((o, k) => {
      const from = k === 0 ? previous : groups.get(orders[k - 1]!)!;
      for (const f of from) for (const t of groups.get(o)!) b.edge(f, t, k === 0 ? entryLabel : undefined);
    });
    if (orders.length) previous = groups.get(orders[orders.length - 1]!)!;
  }
  return b.done();
}

// ---------------------------------------------------------------- Azure

function azureGraph(files: readonly OutputFile[]): RunGraph {
  const b = new Builder("azure");
  const file = byKind(files, "azure.PipelineYaml")[0];
  if (!file) return b.done("no graph: no azure.PipelineYaml file in the output");
  const doc = parseFile(file);
  if (!isObject(doc)) return b.done(`no graph: ${file.path} is not a YAML mapping`);
  const checked = new Set<string>();
  for (const f of byKind(files, "azure.Environment")) {
    const e = parseFile(f);
    if (isObject(e) && str(e.name)) checked.add(e.name as string);
  }
  const stages: Obj[] = Array.isArray(doc.stages) ? doc.stages.filter(isObject) : [{ stage: "__default", jobs: doc.jobs ?? [{ job: "job", steps: doc.steps ?? [] }] }];
  const jobName = (j: Obj, k: number) => str(j.job) ?? str(j.deployment) ?? str(j.template) ?? `job${k + 1}`;
  const names = stages.map((s, i) => str(s.stage) ?? `stage${i + 1}`);
  const jobsOf = new Map<string, { roots: string[]; sinks: string[] }>();
  stages.forEach((s, i) => {
    const sname = names[i]!;
    const cluster = b.cluster(`azure/${sname}`, str(s.displayName) ?? (sname === "__default" ? "pipeline" : sname));
    const jobs = arr(s.jobs).filter(isObject);
    const ids = new Map<string, string>();
    const needs = new Map<string, string[]>();
    jobs.forEach((j, k) => {
      const name = jobName(j, k);
      const env = isObject(j.environment) ? str(j.environment.name) : str(j.environment);
      const matrix = isObject(j.strategy) && isObject(j.strategy.matrix) ? Object.keys(j.strategy.matrix).length : 0;
      const detail = [j.deployment ? "deployment" : "", env ? `environment ${env}${checked.has(env) ? "" : ""}` : "", matrix ? `matrix ×${matrix}` : ""].filter(Boolean).join(" · ");
      ids.set(name, b.node({ id: `${cluster}/${name}`, label: str(j.displayName) ?? name, kind: j.deployment ? "deploy" : "job", cluster, ...(detail ? { detail } : {}) }));
      const dep = j.dependsOn;
      needs.set(name, typeof dep === "string" ? [dep] : arr(dep).map(str).filter((x): x is string => !!x));
    });
    for (const [name, deps] of needs) for (const d of deps) if (ids.has(d)) b.edge(ids.get(d)!, ids.get(name)!);
    const needed = new Set([...needs.values()].flat());
    jobsOf.set(sname, {
      roots: [...ids].filter(([n]) => !(needs.get(n) ?? []).some((d) => ids.has(d))).map(([, id]) => id),
      sinks: [...ids].filter(([n]) => !needed.has(n)).map(([, id]) => id),
    });
  });
  stages.forEach((s, i) => {
    const dep = s.dependsOn;
    const deps = dep === undefined ? (i > 0 ? [names[i - 1]!] : []) : typeof dep === "string" ? [dep] : arr(dep).map(str).filter((x): x is string => !!x);
    const condition = str(s.condition);
    for (const d of deps) for (const f of jobsOf.get(d)?.sinks ?? []) for (const t of jobsOf.get(names[i]!)?.roots ?? []) b.edge(f, t, condition && condition !== "succeeded()" ? condition : undefined);
  });
  return b.done();
}

// ---------------------------------------------------------------- Google Cloud Build

function gcpGraph(files: readonly OutputFile[]): RunGraph {
  const b = new Builder("gcp");
  const configs = new Map(byKind(files, "cloudbuild.BuildConfig").map((f) => [f.path, parseFile(f)] as const));
  const triggers = byKind(files, "cloudbuild.BuildTrigger")
    .map((f) => ({ f, t: parseFile(f) }))
    .filter((x): x is { f: OutputFile; t: Obj } => isObject(x.t));
  // One cluster per distinct build; triggers that run the same build share it.
  const builds: { key: string; label: string[]; build: Obj; triggerNames: string[]; approval: boolean }[] = [];
  const add = (label: string, build: unknown, triggerName?: string, approval = false) => {
    if (!isObject(build)) return;
    const key = JSON.stringify(build.steps ?? []);
    const same = builds.find((x) => x.key === key);
    if (same) {
      same.label.push(label);
      if (triggerName) same.triggerNames.push(triggerName);
      same.approval ||= approval;
    } else builds.push({ key, label: [label], build, triggerNames: triggerName ? [triggerName] : [], approval });
  };
  for (const { f, t } of triggers) {
    const name = str(t.name) ?? f.path;
    const approval = isObject(t.approvalConfig) && t.approvalConfig.approvalRequired === true;
    const build = isObject(t.build) ? t.build : str(t.filename) ? configs.get(str(t.filename)!) : undefined;
    if (build) add(`trigger ${name}${t.disabled === true ? " (disabled)" : ""}`, build, name, approval);
  }
  const usedFiles = new Set(triggers.map(({ t }) => str(t.filename)).filter(Boolean));
  if (!builds.length) for (const [path, c] of configs) if (!usedFiles.has(path)) add(path, c);
  if (!builds.length) return b.done(triggers.length || configs.size ? "no graph: no build steps in the cloudbuild files" : "no graph: no cloudbuild.BuildConfig or cloudbuild.BuildTrigger file in the output");
  const entry = new Map<string, string[]>();
  const runs: { from: string; trigger: string }[] = [];
  builds.forEach((bd, i) => {
    const cluster = b.cluster(`gcp/build-${i + 1}`, bd.label.join(", "));
    const machine = isObject(bd.build.options) ? str(bd.build.options.machineType) : undefined;
    const steps = arr(bd.build.steps).filter(isObject);
    const ids: string[] = [];
    const byStepId = new Map<string, string>();
    steps.forEach((s, k) => {
      const sid = str(s.id) ?? `step-${k + 1}`;
      const args = arr(s.args).map(str).filter((x): x is string => !!x);
      const detail = [str(s.name), machine].filter(Boolean).join(" · ");
      const id = b.node({ id: `${cluster}/${sid}`, label: sid, kind: "step", cluster, ...(detail ? { detail } : {}) });
      ids.push(id);
      byStepId.set(sid, id);
      const k2 = args.indexOf("run");
      if (args.includes("triggers") && k2 >= 0 && args[k2 + 1]) runs.push({ from: id, trigger: args[k2 + 1]! });
    });
    const roots: string[] = [];
    steps.forEach((s, k) => {
      const wait = s.waitFor;
      if (wait === undefined) {
        if (k === 0) roots.push(ids[k]!);
        for (let p = 0; p < k; p++) b.edge(ids[p]!, ids[k]!);
      } else {
        const list = arr(wait).map(str).filter((x): x is string => !!x);
        if (list.includes("-") || !list.length) roots.push(ids[k]!);
        for (const w of list) if (byStepId.has(w)) b.edge(byStepId.get(w)!, ids[k]!);
      }
    });
    for (const name of bd.triggerNames) entry.set(name, roots);
  });
  for (const r of runs) {
    const target = builds.find((x) => x.triggerNames.includes(r.trigger));
    for (const to of entry.get(r.trigger) ?? []) b.edge(r.from, to, target?.approval ? "approval" : "runs trigger");
  }
  return b.done();
}

// ---------------------------------------------------------------- OCI

function ociGraph(files: readonly OutputFile[]): RunGraph {
  const b = new Builder("oci");
  const refName = (id: string) => /^\$\{(?:buildStage|deployStage)\.(.+)\.id\}$/.exec(id)?.[1];
  const part = (kind: string, cluster: string, label: string, typeKey: string, predKey: string) => {
    const stages = byKind(files, kind)
      .map((f) => ({ f, s: parseFile(f) }))
      .filter((x): x is { f: OutputFile; s: Obj } => isObject(x.s));
    if (!stages.length) return [];
    b.cluster(cluster, label);
    const base = (p: string) => p.replace(/^.*\//, "").replace(/\.json$/, "");
    const nodes = stages.map(({ f, s }) => {
      const name = str(s.displayName) ?? base(f.path);
      const type = str(s[typeKey]) ?? "";
      const shape = isObject(s.buildRunnerShapeConfig) ? `${str(s.buildRunnerShapeConfig.ocpus) ?? "?"} OCPU / ${str(s.buildRunnerShapeConfig.memoryInGBs) ?? "?"} GB` : type === "BUILD" ? "default runner shape" : "";
      const kindOf: RunNodeKind = /APPROVAL/.test(type) ? "approval" : /TRIGGER_DEPLOYMENT/.test(type) ? "trigger" : cluster.endsWith("deploy") ? "deploy" : "job";
      const id = b.node({ id: `${cluster}/${name}`, label: name, kind: kindOf, cluster, detail: [type, shape].filter(Boolean).join(" · ") });
      const preds = isObject(s[predKey]) ? arr((s[predKey] as Obj).items).map((x) => (isObject(x) ? str(x.id) : undefined)) : [];
      return { id, name, file: base(f.path), type, preds: preds.filter((x): x is string => !!x) };
    });
    const find = (ref: string) => {
      const n = refName(ref);
      return n === undefined ? undefined : nodes.find((x) => x.name === n || x.file === n || x.id.endsWith(`/${n}`));
    };
    for (const n of nodes) for (const p of n.preds) {
      const from = find(p);
      if (from) b.edge(from.id, n.id);
    }
    return nodes;
  };
  const build = part("oci.CreateBuildPipelineStageDetails", "oci/build", "build pipeline", "buildPipelineStageType", "buildPipelineStagePredecessorCollection");
  const deploy = part("oci.CreateDeployStageDetails", "oci/deploy", "deploy pipeline", "deployStageType", "deployStagePredecessorCollection");
  if (!build.length && !deploy.length) return b.done("no graph: no OCI build or deploy stage files in the output");
  const deployRoots = deploy.filter((d) => !d.preds.some((p) => refName(p) !== undefined));
  for (const t of build.filter((x) => /TRIGGER_DEPLOYMENT/.test(x.type))) for (const r of deployRoots) b.edge(t.id, r.id, "triggers deployment");
  return b.done();
}

/** The run graph of one provider's compiled output. */
export function runGraph(provider: ProviderId, files: readonly OutputFile[]): RunGraph {
  switch (provider) {
    case "aws":
      return awsGraph(files);
    case "azure":
      return azureGraph(files);
    case "gcp":
      return gcpGraph(files);
    case "oci":
      return ociGraph(files);
  }
}
