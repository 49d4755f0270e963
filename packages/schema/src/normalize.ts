/**
 * PipelineDocument → Pipeline IR: defaults applied, shorthand expanded, DAG edges explicit.
 * Pure and deterministic; total on schema-valid documents (references are checked elsewhere).
 */
import type { ConditionDocument, JobDocument, PipelineDocument, StageDocument, StepDocument } from "./document.js";
import { parseDuration } from "./duration.js";
import {
  DEFAULT_IMAGE,
  type ConditionIR,
  type FilterIR,
  type JobIR,
  type NativeIR,
  type PipelineIR,
  type StageIR,
  type StepIR,
  type TriggersIR,
  type VariableIR,
} from "./ir.js";

type FilterDoc = string[] | { include?: string[]; exclude?: string[] } | undefined;

export function normalizeFilter(f: FilterDoc): FilterIR {
  if (!f) return { include: [], exclude: [] };
  if (Array.isArray(f)) return { include: [...f], exclude: [] };
  return { include: [...(f.include ?? [])], exclude: [...(f.exclude ?? [])] };
}

export function normalizeCondition(c: ConditionDocument | undefined): ConditionIR | undefined {
  if (c === undefined) return undefined;
  if (typeof c === "string") return { status: c, branches: [], variables: {} };
  return { status: c.status ?? "success", branches: [...(c.branches ?? [])], variables: { ...(c.variables ?? {}) } };
}

const str = (v: string | number | boolean): string => String(v);
const strMap = (m: Record<string, string | number | boolean> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, str(v)]));
const dur = (s: string | undefined): number | undefined => (s === undefined ? undefined : parseDuration(s));
const native = (n: NativeIR | undefined): NativeIR | undefined => (n && Object.keys(n).length ? structuredClone(n) : undefined);

function normalizeTriggers(doc: PipelineDocument, branch: string): TriggersIR {
  const t = doc.triggers;
  if (!t)
    return {
      push: { branches: { include: [branch], exclude: [] }, tags: { include: [], exclude: [] }, paths: { include: [], exclude: [] } },
      schedules: [],
      manual: true,
    };
  const out: TriggersIR = { schedules: [], manual: t.manual ?? true };
  if (t.push) {
    const branches = normalizeFilter(t.push.branches);
    const tags = normalizeFilter(t.push.tags);
    // A push trigger that names neither branches nor tags builds the default branch.
    if (!t.push.branches && !t.push.tags) branches.include = [branch];
    out.push = { branches, tags, paths: normalizeFilter(t.push.paths) };
  }
  if (t.pullRequest) {
    const branches = normalizeFilter(t.pullRequest.branches);
    if (!t.pullRequest.branches) branches.include = [branch];
    out.pullRequest = { branches, paths: normalizeFilter(t.pullRequest.paths), events: [...(t.pullRequest.events ?? ["opened", "updated", "reopened"])] };
  }
  out.schedules = (t.schedules ?? []).map((s) => ({ cron: s.cron, branches: [...(s.branches ?? [branch])], always: s.always ?? true }));
  return out;
}

function normalizeStep(s: StepDocument, index: number, d: PipelineDocument["defaults"]): StepIR {
  const step: StepIR = {
    id: s.name ?? `step-${index + 1}`,
    shell: s.shell ?? "bash",
    env: strMap(s.env),
    continueOnError: s.continueOnError ?? false,
    retries: s.retries ?? 0,
  };
  void d;
  if (s.name !== undefined) step.name = s.name;
  if (s.run !== undefined) step.run = s.run;
  if (s.workingDirectory !== undefined) step.workingDirectory = s.workingDirectory;
  const t = dur(s.timeout);
  if (t !== undefined) step.timeoutSeconds = t;
  const c = normalizeCondition(s.condition);
  if (c) step.condition = c;
  const n = native(s.native);
  if (n) step.native = n;
  return step;
}

function normalizeJob(stage: string, j: JobDocument, d: PipelineDocument["defaults"]): JobIR {
  const job: JobIR = {
    id: `${stage}.${j.name}`,
    name: j.name,
    needs: [...(j.needs ?? [])],
    image: j.image ?? d?.image ?? DEFAULT_IMAGE,
    runner: j.runner ?? d?.runner ?? "small",
    env: strMap(j.env),
    steps: j.steps.map((s, i) => normalizeStep(s, i, d)),
    produces: (j.artifacts?.produce ?? []).map((a) => ({ name: a.name, paths: [...a.paths] })),
    consumes: [...(j.artifacts?.consume ?? [])],
    retries: j.retries ?? d?.retries ?? 0,
  };
  if (j.description !== undefined) job.description = j.description;
  if (j.environment !== undefined) job.environment = j.environment;
  const t = dur(j.timeout) ?? dur(d?.timeout);
  if (t !== undefined) job.timeoutSeconds = t;
  if (j.matrix) job.matrix = Object.fromEntries(Object.entries(j.matrix).map(([k, vs]) => [k, vs.map(str)]));
  const c = normalizeCondition(j.condition);
  if (c) job.condition = c;
  const n = native(j.native);
  if (n) job.native = n;
  return job;
}

function normalizeStage(s: StageDocument, i: number, all: StageDocument[], d: PipelineDocument["defaults"]): StageIR {
  const stage: StageIR = {
    id: s.name,
    name: s.name,
    needs: s.needs ? [...s.needs] : i === 0 ? [] : [all[i - 1]!.name],
    transition: { enabled: s.transition?.enabled ?? true },
    jobs: s.jobs.map((j) => normalizeJob(s.name, j, d)),
  };
  if (s.description !== undefined) stage.description = s.description;
  if (s.transition?.reason !== undefined) stage.transition.reason = s.transition.reason;
  const c = normalizeCondition(s.condition);
  if (c) stage.condition = c;
  if (s.approval) {
    stage.approval = { approvers: [...(s.approval.approvers ?? [])], notify: [...(s.approval.notify ?? [])] };
    const t = dur(s.approval.timeout);
    if (t !== undefined) stage.approval.timeoutSeconds = t;
    if (s.approval.instructions !== undefined) stage.approval.instructions = s.approval.instructions;
  }
  const n = native(s.native);
  if (n) stage.native = n;
  return stage;
}

export function normalize(doc: PipelineDocument): PipelineIR {
  const branch = doc.source.branch ?? "main";
  const variables: Record<string, VariableIR> = {};
  for (const [k, v] of Object.entries(doc.variables ?? {})) {
    if (typeof v === "object") {
      variables[k] = { default: v.default === undefined ? "" : str(v.default), overridable: v.overridable ?? false };
      if (v.description !== undefined) variables[k]!.description = v.description;
    } else variables[k] = { default: str(v), overridable: false };
  }
  const ir: PipelineIR = {
    version: 1,
    name: doc.name,
    source: { repository: doc.source.repository, branch },
    triggers: normalizeTriggers(doc, branch),
    concurrency: doc.concurrency ?? "queue",
    variables,
    secrets: structuredClone(doc.secrets ?? {}),
    defaults: {},
    stages: doc.stages.map((s, i) => normalizeStage(s, i, doc.stages, doc.defaults)),
    targets: structuredClone(doc.targets ?? {}),
  };
  if (doc.description !== undefined) ir.description = doc.description;
  if (doc.source.provider) ir.source.provider = doc.source.provider;
  const d = doc.defaults;
  if (d?.image !== undefined) ir.defaults.image = d.image;
  if (d?.runner !== undefined) ir.defaults.runner = d.runner;
  if (d?.retries !== undefined) ir.defaults.retries = d.retries;
  const dt = dur(d?.timeout);
  if (dt !== undefined) ir.defaults.timeoutSeconds = dt;
  const n = native(doc.native);
  if (n) ir.native = n;
  return ir;
}
