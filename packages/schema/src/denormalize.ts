/**
 * Pipeline IR → the shortest document that normalizes back to it. Importers use this to write
 * pipeglot.yaml; normalize(denormalize(ir)) equals ir (up to `defaults`, which it may factor out).
 */
import type { PipelineDocument } from "./document.js";
import { formatDuration } from "./duration.js";
import { DEFAULT_IMAGE, type ConditionIR, type FilterIR, type JobIR, type PipelineIR, type StageIR, type StepIR } from "./ir.js";

type Json = Record<string, unknown>;

const filter = (f: FilterIR): unknown =>
  f.exclude.length === 0 ? [...f.include] : f.include.length === 0 ? { exclude: [...f.exclude] } : { include: [...f.include], exclude: [...f.exclude] };
const empty = (f: FilterIR) => f.include.length === 0 && f.exclude.length === 0;

function condition(c: ConditionIR): unknown {
  if (c.branches.length === 0 && Object.keys(c.variables).length === 0) return c.status;
  const out: Json = {};
  if (c.status !== "success") out.status = c.status;
  if (c.branches.length) out.branches = [...c.branches];
  if (Object.keys(c.variables).length) out.variables = { ...c.variables };
  return out;
}

function step(s: StepIR, index: number): Json {
  const out: Json = {};
  if (s.name !== undefined) out.name = s.name;
  else if (s.id !== `step-${index + 1}`) out.name = s.id;
  if (s.run !== undefined) out.run = s.run;
  if (s.shell !== "bash") out.shell = s.shell;
  if (s.workingDirectory !== undefined) out.workingDirectory = s.workingDirectory;
  if (Object.keys(s.env).length) out.env = { ...s.env };
  if (s.timeoutSeconds !== undefined) out.timeout = formatDuration(s.timeoutSeconds);
  if (s.continueOnError) out.continueOnError = true;
  if (s.retries) out.retries = s.retries;
  if (s.condition) out.condition = condition(s.condition);
  if (s.native) out.native = structuredClone(s.native);
  return out;
}

function job(j: JobIR, d: PipelineIR["defaults"]): Json {
  const out: Json = { name: j.name };
  if (j.description !== undefined) out.description = j.description;
  if (j.needs.length) out.needs = [...j.needs];
  if (j.image !== (d.image ?? DEFAULT_IMAGE)) out.image = j.image;
  if (j.runner !== (d.runner ?? "small")) out.runner = j.runner;
  if (Object.keys(j.env).length) out.env = { ...j.env };
  out.steps = j.steps.map(step);
  if (j.produces.length || j.consumes.length) {
    const a: Json = {};
    if (j.produces.length) a.produce = j.produces.map((p) => ({ name: p.name, paths: [...p.paths] }));
    if (j.consumes.length) a.consume = [...j.consumes];
    out.artifacts = a;
  }
  if (j.environment !== undefined) out.environment = j.environment;
  if (j.timeoutSeconds !== undefined && j.timeoutSeconds !== d.timeoutSeconds) out.timeout = formatDuration(j.timeoutSeconds);
  if (j.retries !== (d.retries ?? 0)) out.retries = j.retries;
  if (j.matrix) out.matrix = structuredClone(j.matrix);
  if (j.condition) out.condition = condition(j.condition);
  if (j.native) out.native = structuredClone(j.native);
  return out;
}

function stage(s: StageIR, i: number, all: StageIR[], d: PipelineIR["defaults"]): Json {
  const out: Json = { name: s.name };
  if (s.description !== undefined) out.description = s.description;
  const implied = i === 0 ? [] : [all[i - 1]!.name];
  if (s.needs.length !== implied.length || s.needs.some((n, k) => n !== implied[k])) out.needs = [...s.needs];
  if (s.condition) out.condition = condition(s.condition);
  if (s.approval) {
    const a: Json = {};
    if (s.approval.approvers.length) a.approvers = [...s.approval.approvers];
    if (s.approval.timeoutSeconds !== undefined) a.timeout = formatDuration(s.approval.timeoutSeconds);
    if (s.approval.instructions !== undefined) a.instructions = s.approval.instructions;
    if (s.approval.notify.length) a.notify = [...s.approval.notify];
    out.approval = a;
  }
  if (!s.transition.enabled || s.transition.reason !== undefined) out.transition = { ...s.transition };
  out.jobs = s.jobs.map((j) => job(j, d));
  if (s.native) out.native = structuredClone(s.native);
  return out;
}

export function denormalize(ir: PipelineIR): PipelineDocument {
  const out: Json = { pipeglot: 1, name: ir.name };
  if (ir.description !== undefined) out.description = ir.description;
  const src: Json = { repository: ir.source.repository };
  if (ir.source.branch !== "main") src.branch = ir.source.branch;
  if (ir.source.provider) src.provider = ir.source.provider;
  out.source = src;
  const t = ir.triggers;
  const isDefault =
    t.manual &&
    t.schedules.length === 0 &&
    !t.pullRequest &&
    t.push &&
    empty(t.push.tags) &&
    empty(t.push.paths) &&
    t.push.branches.exclude.length === 0 &&
    t.push.branches.include.length === 1 &&
    t.push.branches.include[0] === ir.source.branch;
  if (!isDefault) {
    const tr: Json = {};
    if (t.push) {
      const p: Json = {};
      if (!empty(t.push.branches)) p.branches = filter(t.push.branches);
      if (!empty(t.push.tags)) p.tags = filter(t.push.tags);
      if (!empty(t.push.paths)) p.paths = filter(t.push.paths);
      if (empty(t.push.branches) && !empty(t.push.tags)) {
        /* tags only */
      } else if (empty(t.push.branches)) p.branches = { include: [], exclude: [] };
      tr.push = p;
    }
    if (t.pullRequest) {
      const p: Json = { branches: filter(t.pullRequest.branches) };
      if (!empty(t.pullRequest.paths)) p.paths = filter(t.pullRequest.paths);
      const def = ["opened", "updated", "reopened"];
      if (t.pullRequest.events.length !== 3 || t.pullRequest.events.some((e, i) => e !== def[i])) p.events = [...t.pullRequest.events];
      tr.pullRequest = p;
    }
    if (t.schedules.length) tr.schedules = t.schedules.map((s) => ({ cron: s.cron, branches: [...s.branches], ...(s.always ? {} : { always: false }) }));
    if (!t.manual) tr.manual = false;
    out.triggers = tr;
  }
  if (ir.concurrency !== "queue") out.concurrency = ir.concurrency;
  if (Object.keys(ir.variables).length)
    out.variables = Object.fromEntries(
      Object.entries(ir.variables).map(([k, v]) => [
        k,
        v.description === undefined && !v.overridable
          ? v.default
          : { default: v.default, ...(v.description !== undefined ? { description: v.description } : {}), ...(v.overridable ? { overridable: true } : {}) },
      ]),
    );
  if (Object.keys(ir.secrets).length) out.secrets = structuredClone(ir.secrets);
  const d = ir.defaults;
  const defaults: Json = {};
  if (d.image !== undefined) defaults.image = d.image;
  if (d.runner !== undefined) defaults.runner = d.runner;
  if (d.timeoutSeconds !== undefined) defaults.timeout = formatDuration(d.timeoutSeconds);
  if (d.retries !== undefined) defaults.retries = d.retries;
  if (Object.keys(defaults).length) out.defaults = defaults;
  out.stages = ir.stages.map((s, i) => stage(s, i, ir.stages, d));
  if (Object.keys(ir.targets).length) out.targets = structuredClone(ir.targets);
  if (ir.native) out.native = structuredClone(ir.native);
  return out as PipelineDocument;
}
