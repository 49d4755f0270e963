/**
 * What a run of a YAML pipeline will do, read from the pipeline's YAML as the run's commit has it:
 * its stages (in order, `dependsOn` defaulting to the previous stage, `trigger: manual`), their
 * jobs (`job:` / `deployment:` with its environment, ManualValidation agentless jobs) and step
 * names; the runtime parameters the YAML declares. Templates (`template:`) are not expanded: a
 * stage or job from a template runs as one unit named after the template.
 */
import { parse } from "yaml";
import { isObject, type Json, type JsonObject } from "../core/json.js";
import { badRequest } from "./errors.js";

export interface PlannedJob {
  /** The job id in the YAML (`job:` / `deployment:`). */
  ref: string;
  /** displayName, else the id. */
  name: string;
  dependsOn: string[];
  /** A deployment job's environment. */
  environment?: string;
  /** Step names (name, displayName, task or script kind), in order. */
  steps: string[];
  /** An agentless job running ManualValidation: waits for someone (no REST API decides it). */
  manualValidation?: { timeoutMinutes: number };
}

export interface PlannedStage {
  ref: string;
  name: string;
  dependsOn: string[];
  /** `trigger: manual`: the stage waits for someone to start it. */
  manual: boolean;
  jobs: PlannedJob[];
}

export interface RunPlan {
  stages: PlannedStage[];
  /** Declared runtime parameters: name → default (as text). */
  parameters: Map<string, string | undefined>;
}

const list = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
const text = (v: Json | undefined): string | undefined => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined);

function names(v: Json | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "string") return v === "" ? [] : [v];
  return list(v)
    .map(text)
    .filter((x): x is string => x !== undefined);
}

function stepName(s: Json): string {
  if (!isObject(s)) return "step";
  return (
    text(s.name) ??
    text(s.displayName) ??
    text(s.task)?.replace(/@\d+$/, "") ??
    (s.bash !== undefined ? "Bash" : s.script !== undefined ? "CmdLine" : s.pwsh !== undefined || s.powershell !== undefined ? "PowerShell" : undefined) ??
    (s.checkout !== undefined ? "Checkout" : s.publish !== undefined ? "Publish" : s.download !== undefined ? "Download" : "step")
  );
}

function jobSteps(j: JsonObject): Json[] {
  if (Array.isArray(j.steps)) return j.steps;
  const strategy = isObject(j.strategy) ? j.strategy : {};
  for (const kind of Object.values(strategy)) {
    if (!isObject(kind)) continue;
    for (const hook of Object.values(kind)) if (isObject(hook) && Array.isArray(hook.steps)) return hook.steps;
  }
  return [];
}

function manualValidation(j: JsonObject, steps: Json[]): { timeoutMinutes: number } | undefined {
  if (j.pool !== "server" && !(isObject(j.pool) && j.pool.name === "server")) return undefined;
  const mv = steps.find((s) => isObject(s) && typeof s.task === "string" && /^ManualValidation@/i.test(s.task));
  if (!isObject(mv)) return undefined;
  const minutes = typeof mv.timeoutInMinutes === "number" ? mv.timeoutInMinutes : typeof j.timeoutInMinutes === "number" ? j.timeoutInMinutes : 43200;
  return { timeoutMinutes: minutes };
}

function planJob(j: Json, i: number): PlannedJob {
  if (!isObject(j)) throw badRequest(`Job ${i + 1} of the pipeline YAML is not a mapping.`, "PipelineValidationException", "Build");
  const ref = text(j.job) ?? text(j.deployment) ?? `Job${i + 1}`;
  const steps = jobSteps(j);
  const env = isObject(j.environment) ? text(j.environment.name) : text(j.environment);
  const mv = manualValidation(j, steps);
  return {
    ref,
    name: text(j.displayName) ?? (typeof j.template === "string" ? j.template : ref),
    dependsOn: names(j.dependsOn) ?? [],
    ...(j.deployment !== undefined && env ? { environment: env.split(".")[0] } : {}),
    steps: steps.map(stepName),
    ...(mv ? { manualValidation: mv } : {}),
  };
}

function planStage(s: Json, i: number, previous: string | undefined): PlannedStage {
  if (!isObject(s)) throw badRequest(`Stage ${i + 1} of the pipeline YAML is not a mapping.`, "PipelineValidationException", "Build");
  const ref = text(s.stage) ?? `Stage${i + 1}`;
  return {
    ref,
    name: text(s.displayName) ?? (typeof s.template === "string" ? s.template : ref),
    dependsOn: names(s.dependsOn) ?? (previous ? [previous] : []),
    manual: s.trigger === "manual",
    jobs: list(s.jobs).map(planJob),
  };
}

function parameters(doc: JsonObject): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const p of list(doc.parameters)) if (isObject(p) && typeof p.name === "string") out.set(p.name, text(p.default));
  return out;
}

/** The run plan of a pipeline YAML; a 400 when it is not a pipeline. */
export function planRun(yamlText: string, path: string): RunPlan {
  let doc: unknown;
  try {
    doc = parse(yamlText);
  } catch (e) {
    throw badRequest(`${path}: ${(e as Error).message.split("\n")[0]}`, "PipelineValidationException", "Build");
  }
  if (!isObject(doc)) throw badRequest(`${path}: the pipeline YAML is not a mapping.`, "PipelineValidationException", "Build");
  let stages: PlannedStage[];
  if (Array.isArray(doc.stages)) {
    stages = doc.stages.map((s, i, all) =>
      planStage(s, i, i > 0 && isObject(all[i - 1]) ? (text((all[i - 1] as JsonObject).stage) ?? `Stage${i}`) : undefined),
    );
  } else if (Array.isArray(doc.jobs)) {
    stages = [{ ref: "__default", name: "__default", dependsOn: [], manual: false, jobs: doc.jobs.map(planJob) }];
  } else if (Array.isArray(doc.steps)) {
    stages = [{ ref: "__default", name: "__default", dependsOn: [], manual: false, jobs: [planJob({ job: "Job", steps: doc.steps }, 0)] }];
  } else throw badRequest(`${path}: the pipeline YAML has no stages, jobs or steps.`, "PipelineValidationException", "Build");
  return { stages, parameters: parameters(doc) };
}
