/**
 * The pipeline's stages and jobs as the compiled YAML names them, mapped back to the definition's
 * names by the compiler's rules: a stage or job is `displayName` when the compiler had to
 * sanitize the name (`deploy` → `deploy_job`), else its id. The compiler's approval forms are
 * recognised: an agentless ManualValidation job (approvalMode `job`, the default) is the stage's
 * gate, not one of its jobs; with approvalMode `environment` the gate is the Approval check on the
 * environments the stage deploys to (checks/<env>.json of the compile output). `trigger: manual`
 * is a disabled transition.
 */
import { isObject, type ProviderOutput } from "@pipeglot/core";
import { parse } from "yaml";

export interface LayoutJob {
  /** The YAML id (`job:` / `deployment:`), which timeline identifiers use. */
  id: string;
  /** The definition's job name. */
  name: string;
  environment?: string;
}

export interface LayoutGate {
  kind: "validation" | "check";
  /** The ManualValidation job's id (kind validation). */
  job?: string;
  approvers: string[];
  instructions?: string;
  timeoutMinutes?: number;
}

export interface LayoutStage {
  id: string;
  name: string;
  /** `trigger: manual`: the definition's transition into it is disabled. */
  manual: boolean;
  jobs: LayoutJob[];
  environments: string[];
  gate?: LayoutGate;
}

type Node = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const nodes = (v: unknown): Node[] => (Array.isArray(v) ? v.filter(isObject) : []);

function validationGate(job: Node): LayoutGate | undefined {
  if (job.pool !== "server") return undefined;
  const task = nodes(job.steps).find((s) => /^ManualValidation@/i.test(str(s.task) ?? ""));
  if (!task) return undefined;
  const inputs = isObject(task.inputs) ? task.inputs : {};
  const approvers = (str(inputs.approvers) ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  return {
    kind: "validation",
    job: str(job.job) ?? "approval",
    approvers,
    ...(str(inputs.instructions) !== undefined ? { instructions: str(inputs.instructions) } : {}),
    ...(typeof task.timeoutInMinutes === "number" ? { timeoutMinutes: task.timeoutInMinutes } : {}),
  };
}

function checkGate(output: ProviderOutput | undefined, envs: string[]): LayoutGate | undefined {
  for (const f of output?.files ?? []) {
    if (f.kind !== "azure.CheckConfiguration") continue;
    const c = JSON.parse(f.content) as Node;
    const res = isObject(c.resource) ? c.resource : {};
    if (!envs.some((e) => e.toLowerCase() === String(res.name).toLowerCase())) continue;
    const s = isObject(c.settings) ? c.settings : {};
    return {
      kind: "check",
      approvers: nodes(s.approvers).map((a) => String(a.displayName ?? a.id)),
      ...(str(s.instructions) !== undefined ? { instructions: str(s.instructions) } : {}),
      ...(typeof c.timeout === "number" ? { timeoutMinutes: c.timeout } : {}),
    };
  }
  return undefined;
}

function layoutStage(s: Node, i: number, output: ProviderOutput | undefined): LayoutStage {
  const id = str(s.stage) ?? `Stage${i + 1}`;
  let gate: LayoutGate | undefined;
  const jobs: LayoutJob[] = [];
  for (const j of nodes(s.jobs)) {
    const g = validationGate(j);
    if (g) {
      gate = g;
      continue;
    }
    const jid = str(j.job) ?? str(j.deployment) ?? `Job${jobs.length + 1}`;
    const env = isObject(j.environment) ? str(j.environment.name) : str(j.environment);
    jobs.push({ id: jid, name: str(j.displayName) ?? jid, ...(j.deployment !== undefined && env ? { environment: env.split(".")[0]! } : {}) });
  }
  const environments = [...new Set(jobs.map((j) => j.environment).filter((e): e is string => e !== undefined))];
  gate ??= checkGate(output, environments);
  return { id, name: str(s.displayName) ?? id, manual: s.trigger === "manual", jobs, environments, ...(gate ? { gate } : {}) };
}

/** The stages of a pipeline YAML (a single implicit stage for a jobs-only pipeline). */
export function layoutOf(yamlText: string, output?: ProviderOutput): LayoutStage[] {
  const doc = parse(yamlText) as unknown;
  if (!isObject(doc)) return [];
  if (Array.isArray(doc.stages)) return nodes(doc.stages).map((s, i) => layoutStage(s, i, output));
  if (Array.isArray(doc.jobs)) return [layoutStage({ stage: "__default", jobs: doc.jobs }, 0, output)];
  return [];
}

/** The stage the definition calls `name` (or whose YAML id is `name`); undefined when none. */
export function stageNamed(stages: readonly LayoutStage[], name: string): LayoutStage | undefined {
  return stages.find((s) => s.name === name) ?? stages.find((s) => s.id.toLowerCase() === name.toLowerCase());
}

/** The runtime parameters a pipeline YAML declares (`parameters:`), by name. */
export function yamlParameters(yamlText: string): string[] {
  const doc = parse(yamlText) as unknown;
  return isObject(doc)
    ? nodes(doc.parameters)
        .map((p) => str(p.name))
        .filter((n): n is string => n !== undefined)
    : [];
}
