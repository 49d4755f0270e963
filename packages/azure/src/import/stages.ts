/** Stages: their jobs, approval gates, conditions, and the dependencies between stages and between jobs. */
import type { ApprovalIR, StageIR } from "@pipeglot/schema";
import { isObject } from "@pipeglot/core";
import { readDependsOn } from "../native/pipeline.js";
import { importCondition } from "./conditions.js";
import { mark, report, type ImportCtx } from "./context.js";
import { importJob, jobName, rawJobId } from "./jobs.js";
import { toStr } from "./template/expr.js";
import { isTemplatePlaceholder, isTemplateRef, templateJob, templateName, templateStage } from "./templates.js";

type Raw = Record<string, unknown>;

function approvalFrom(task: Raw): ApprovalIR {
  const inputs = isObject(task.inputs) ? task.inputs : {};
  const list = (v: unknown, sep: RegExp) =>
    toStr(v ?? "")
      .split(sep)
      .map((x) => x.trim())
      .filter(Boolean);
  const a: ApprovalIR = { approvers: list(inputs.approvers, /[,\n]/), notify: list(inputs.notifyUsers, /[,\n]/) };
  if (task.timeoutInMinutes !== undefined && Number(task.timeoutInMinutes) > 0) a.timeoutSeconds = Number(task.timeoutInMinutes) * 60;
  if (inputs.instructions !== undefined) a.instructions = toStr(inputs.instructions);
  return a;
}

/**
 * Unique neutral names (case-insensitive) for Azure items, in order (`list`), and the name each
 * Azure id is referred to by in `dependsOn` (`byId`: its first item, as Azure ids are unique).
 */
export function uniqueNames(items: { raw: Raw; id: string }[], nameOf: (raw: Raw, id: string) => string): { list: string[]; byId: Map<string, string> } {
  const list: string[] = [];
  const byId = new Map<string, string>();
  const taken = new Set<string>();
  for (const { raw, id } of items) {
    const base = nameOf(raw, id);
    let n = base;
    for (let x = 2; taken.has(n.toLowerCase()); x++) n = `${base}-${x}`;
    taken.add(n.toLowerCase());
    list.push(n);
    if (!byId.has(id)) byId.set(id, n);
  }
  return { list, byId };
}

const nameOrTemplate = (raw: Raw, id: string) => (isTemplateRef(raw) ? templateName(raw.template) : jobName(raw, id));

interface Node {
  name: string;
  needs: string[];
  native?: { azure?: Raw };
}

/**
 * Dependencies on what is not in the file. When templates that were not read stand beside the
 * node, the dependency most likely names something they hold: the node needs them instead, and
 * keeps its Azure `dependsOn` as written (native) so that a recompile to Azure names the same
 * stages or jobs. Otherwise (a `${{ if }}` that was false, a typo) the dependency is dropped.
 */
function settleNeeds(ctx: ImportCtx, nodes: Node[], raw: Map<Node, Raw>, what: "stage" | "job", ptrOf: (i: number) => string): void {
  const names = new Set(nodes.map((n) => n.name));
  const templates = nodes.filter(isTemplatePlaceholder).map((n) => n.name);
  nodes.forEach((n, i) => {
    const missing = n.needs.filter((d) => !names.has(d) || d === n.name);
    if (!missing.length) return;
    const kept = n.needs.filter((d) => !missing.includes(d));
    // Template stages come in the implicit chain of stages, so only those before this one may stand in (no cycle);
    // template jobs have no dependencies of their own, so any may. A dependency on itself is never a template's.
    const stand = missing.every((d) => d === n.name)
      ? []
      : templates.filter((t) => t !== n.name && (what === "job" || nodes.findIndex((x) => x.name === t) < i));
    if (stand.length) {
      n.needs = [...new Set([...kept, ...stand])];
      n.native = { ...n.native, azure: { ...(n.native?.azure ?? {}), dependsOn: raw.get(n)?.dependsOn } };
      report(
        ctx,
        "PG-ADO-IMPORT-DEPENDENCY",
        `${what} ${n.name} depends on ${missing.join(", ")}, not in this file; it needs the unread template ${what}(s) ${stand.join(", ")} instead (its dependsOn is kept as native.azure)`,
        raw.get(n),
        `${ptrOf(i)}/needs`,
      );
    } else {
      n.needs = kept;
      report(
        ctx,
        "PG-ADO-IMPORT-DEPENDENCY",
        `${what} ${n.name} depends on ${missing.join(", ")}, not in this file (a template not read, or a \${{ if }} that was false); the dependency is dropped`,
        raw.get(n),
        `${ptrOf(i)}/needs`,
      );
    }
  });
}

function stageNative(ctx: ImportCtx, stage: StageIR, raw: Raw, ptr: string): void {
  const native: Raw = {};
  if (typeof raw.condition === "string") {
    const c = importCondition(raw.condition);
    if (c) stage.condition = c;
    else {
      native.condition = raw.condition;
      report(ctx, "PG-ADO-IMPORT-CONDITION", `condition ${JSON.stringify(raw.condition)} kept as native.azure.condition`, raw, `${ptr}/condition`);
    }
  }
  for (const k of ["variables", "pool", "lockBehavior", "isSkippable", "templateContext"]) if (raw[k] !== undefined) native[k] = raw[k];
  if (Object.keys(native).length) {
    stage.native = { azure: native };
    report(ctx, "PG-ADO-IMPORT-NATIVE-KEY", `stage ${stage.name}: ${Object.keys(native).join(", ")} kept as native.azure`, raw, `${ptr}/native`);
  }
}

function importStage(ctx: ImportCtx, raw: Raw, i: number, name: string, needs: string[]): StageIR {
  const ptr = `/stages/${i}`;
  const stage: StageIR = { id: name, name, needs, transition: { enabled: raw.trigger !== "manual" }, jobs: [] };
  stageNative(ctx, stage, raw, ptr);
  const jobsRaw = (Array.isArray(raw.jobs) ? raw.jobs : []).filter(isObject);
  // Agentless ManualValidation jobs are the stage's approval.
  const gate = jobsRaw.find(
    (j) =>
      (j.pool === "server" || (isObject(j.pool) && j.pool.name === "server")) &&
      Array.isArray(j.steps) &&
      j.steps.length === 1 &&
      isObject(j.steps[0]) &&
      /^ManualValidation@/i.test(toStr(j.steps[0].task)),
  );
  const gateId = gate ? toStr(gate.job) : undefined;
  if (gate) stage.approval = approvalFrom((gate.steps as Raw[])[0]!);
  const jobs = jobsRaw.filter((j) => j !== gate).map((j, k) => ({ raw: j, id: rawJobId(j, k) }));
  const names = uniqueNames(jobs, nameOrTemplate);
  const deps = new Map<Node, Raw>();
  jobs.forEach(({ raw: j, id }, k) => {
    const jptr = `${ptr}/jobs/${k}`;
    if (isTemplateRef(j)) return void stage.jobs.push(templateJob(ctx, j, name, names.list[k]!, jptr));
    if (gateId !== undefined) unguard(j, gateId);
    const needs = (readDependsOn(j.dependsOn) ?? []).filter((d) => d !== gateId).map((d) => names.byId.get(d) ?? d);
    const job = importJob(ctx, j, id, name, jptr, needs);
    job.name = names.list[k]!;
    job.id = `${name}.${job.name}`;
    deps.set(job, j);
    stage.jobs.push(job);
  });
  settleNeeds(ctx, stage.jobs, deps, "job", (k) => `${ptr}/jobs/${k}`);
  if (!jobs.length) report(ctx, "PG-ADO-IMPORT-LOSSY", `stage ${name} has no jobs (a \${{ if }} left none?); the stage is left out`, raw, ptr);
  mark(ctx, ptr, raw);
  return stage;
}

/** A job condition the compile guarded with the approval job's result (compileStage) is the condition inside. */
function unguard(j: Raw, gateId: string): void {
  const guard = `and(eq(dependencies.${gateId}.result, 'Succeeded'), `;
  if (typeof j.condition === "string" && j.condition.startsWith(guard) && j.condition.endsWith(")")) j.condition = j.condition.slice(guard.length, -1);
}

/** The stages of a pipeline (root `jobs`/`steps` already wrapped into stages). */
export function importStages(ctx: ImportCtx, stagesRaw: Raw[]): StageIR[] {
  const items = stagesRaw.map((s, i) => ({
    raw: s,
    id: isTemplateRef(s) ? `template:${i}:${s.template}` : typeof s.stage === "string" ? s.stage : `stage_${i + 1}`,
  }));
  const names = uniqueNames(items, (raw, id) => (isTemplateRef(raw) ? templateName(raw.template) : jobName(raw, id)));
  const deps = new Map<Node, Raw>();
  const stages: StageIR[] = [];
  items.forEach(({ raw }, i) => {
    const prev = i > 0 ? names.list[i - 1] : undefined;
    const explicit = readDependsOn(raw.dependsOn);
    const needs = explicit === undefined ? (prev ? [prev] : []) : explicit.map((d) => names.byId.get(d) ?? d);
    const name = names.list[i]!;
    const stage = isTemplateRef(raw) ? templateStage(ctx, raw, name, needs, `/stages/${i}`) : importStage(ctx, raw, i, name, needs);
    // Implicitly after a template: Azure's implicit dependency names the template's last stage, so keep it implicit.
    if (explicit === undefined && i > 0 && isTemplateRef(items[i - 1]!.raw) && !isTemplateRef(raw))
      stage.native = { ...stage.native, azure: { ...(stage.native?.azure ?? {}), dependsOn: null } };
    deps.set(stage, raw);
    stages.push(stage);
  });
  // Stages without jobs are left out; stages that needed them inherit their needs.
  for (const empty of stages.filter((s) => s.jobs.length === 0))
    for (const s of stages) if (s.needs.includes(empty.name)) s.needs = [...new Set(s.needs.flatMap((n) => (n === empty.name ? empty.needs : [n])))];
  const kept = stages.filter((s) => s.jobs.length > 0);
  settleNeeds(ctx, kept, deps, "stage", (i) => `/stages/${i}`);
  return kept;
}
