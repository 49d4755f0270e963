/**
 * The run graph of Google Cloud Build output, read back with the Build and BuildTrigger models:
 * each distinct build (a trigger's inline `build` or its `filename`) is a cluster; steps follow
 * `waitFor` (absent: all previous steps; "-": none); a step that runs another trigger links the builds.
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
import type { Build, BuildStep } from "./native/build.js";
import type { BuildTrigger } from "./native/trigger.js";

type BuildRead = ReadBack<Build>;
interface Cluster {
  key: string;
  label: string[];
  build: BuildRead;
  triggerNames: string[];
  approval: boolean;
}

const isBuild = (v: unknown): v is BuildRead => typeof v === "object" && v !== null && !Array.isArray(v);

/** One cluster per distinct build (same steps); the triggers that run the same build share it. */
function clustersOf(files: readonly OutputFile[]): { builds: Cluster[]; triggers: number; configs: number } {
  const configs = new Map(filesOfKind(files, "cloudbuild.BuildConfig").map((f) => [f.path, readOutputFile<Build>(f)] as const));
  const triggers = filesOfKind(files, "cloudbuild.BuildTrigger").flatMap((f) => {
    const t = readOutputFile<BuildTrigger>(f);
    return t && !Array.isArray(t) ? [{ f, t }] : [];
  });
  const builds: Cluster[] = [];
  const add = (label: string, build: unknown, triggerName?: string, approval = false) => {
    if (!isBuild(build)) return;
    const key = JSON.stringify(build.steps ?? []);
    const same = builds.find((x) => x.key === key);
    if (same) {
      same.label.push(label);
      if (triggerName) same.triggerNames.push(triggerName);
      same.approval ||= approval;
    } else builds.push({ key, label: [label], build, triggerNames: triggerName ? [triggerName] : [], approval });
  };
  for (const { f, t } of triggers) {
    const name = textOf(t.name) ?? f.path;
    const filename = textOf(t.filename);
    const build = isBuild(t.build) ? t.build : filename ? configs.get(filename) : undefined;
    if (build) add(`trigger ${name}${t.disabled === true ? " (disabled)" : ""}`, build, name, t.approvalConfig?.approvalRequired === true);
  }
  const usedFiles = new Set(triggers.map(({ t }) => textOf(t.filename)).filter(Boolean));
  if (!builds.length) for (const [path, c] of configs) if (!usedFiles.has(path)) add(path, c);
  return { builds, triggers: triggers.length, configs: configs.size };
}

/** A build's steps as nodes with their waitFor edges; its entry steps and the triggers its steps run. */
function buildSteps(b: RunGraphBuilder, bd: Cluster, i: number, runs: { from: string; trigger: string }[]): string[] {
  const cluster = b.cluster(`gcp/build-${i + 1}`, bd.label.join(", "));
  const machine = textOf(bd.build.options?.machineType);
  const steps = listOf<ReadBack<BuildStep>>(bd.build.steps);
  const ids: string[] = [];
  const byStepId = new Map<string, string>();
  steps.forEach((s, k) => {
    const sid = textOf(s.id) ?? `step-${k + 1}`;
    const args = (Array.isArray(s.args) ? s.args : []).map(textOf).filter((x): x is string => !!x);
    const detail = [textOf(s.name), machine].filter(Boolean).join(" · ");
    const id = b.node({ id: `${cluster}/${sid}`, label: sid, kind: "step", cluster, ...(detail ? { detail } : {}) });
    ids.push(id);
    byStepId.set(sid, id);
    const run = args.indexOf("run");
    if (args.includes("triggers") && run >= 0 && args[run + 1]) runs.push({ from: id, trigger: args[run + 1]! });
  });
  const roots: string[] = [];
  steps.forEach((s, k) => {
    if (s.waitFor === undefined) {
      if (k === 0) roots.push(ids[k]!);
      for (let p = 0; p < k; p++) b.edge(ids[p]!, ids[k]!);
    } else {
      const list = (Array.isArray(s.waitFor) ? s.waitFor : []).map(textOf).filter((x): x is string => !!x);
      if (list.includes("-") || !list.length) roots.push(ids[k]!);
      for (const w of list) if (byStepId.has(w)) b.edge(byStepId.get(w)!, ids[k]!);
    }
  });
  return roots;
}

/** The graph Cloud Build runs for this output. */
export function runGraph(files: readonly OutputFile[]): RunGraph {
  const b = new RunGraphBuilder("gcp");
  const { builds, triggers, configs } = clustersOf(files);
  if (!builds.length)
    return b.done(
      triggers || configs
        ? "no graph: no build steps in the cloudbuild files"
        : "no graph: no cloudbuild.BuildConfig or cloudbuild.BuildTrigger file in the output",
    );
  const entry = new Map<string, string[]>();
  const runs: { from: string; trigger: string }[] = [];
  builds.forEach((bd, i) => {
    const roots = buildSteps(b, bd, i, runs);
    for (const name of bd.triggerNames) entry.set(name, roots);
  });
  for (const r of runs) {
    const target = builds.find((x) => x.triggerNames.includes(r.trigger));
    for (const to of entry.get(r.trigger) ?? []) b.edge(r.from, to, target?.approval ? "approval" : "runs trigger");
  }
  return b.done();
}

/** Triggers are API resources; a build config is read from the repository when a trigger names it (`filename`), else a copy of what the trigger inlines. */
export const fileRoles = (files: readonly OutputFile[]): FileRole[] => fileRolesBy(files, { resource: /^cloudbuild\.BuildTrigger$/ });
