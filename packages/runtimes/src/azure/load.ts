/**
 * The compiled azure-pipelines.yml read into the structures the model runs: stages, jobs
 * (regular, deployment, agentless), their matrix entries and steps, after the compile-time pass
 * of template expressions `${{ }}` (runtime parameters take the run's values).
 * https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/stages-stage
 * https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/jobs-job
 * https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/jobs-deployment
 * https://learn.microsoft.com/azure/devops/pipelines/process/template-expressions
 */
import { parse } from "yaml";

export type Step = Record<string, unknown>;
export type VarDef = { name: string; value: string } | { group: string };

export interface AzJob {
  id: string;
  displayName?: string;
  kind: "job" | "deployment" | "server";
  dependsOn: string[];
  condition?: string;
  timeoutInMinutes?: number;
  container?: string;
  environment?: string;
  variables: VarDef[];
  /** Matrix entry name → its variables (absent: one job). */
  matrix?: Record<string, Record<string, string>>;
  steps: Step[];
  /** Other deployment lifecycle hooks found (not run). */
  unrun: string[];
}

export interface AzStage {
  id: string;
  displayName?: string;
  dependsOn: string[];
  condition?: string;
  manual: boolean;
  variables: VarDef[];
  jobs: AzJob[];
}

export interface AzPipeline {
  variables: VarDef[];
  stages: AzStage[];
  /** Azure variable name → neutral secret name, from the `# pipeglot:secret NAME group:G/V` header. */
  secretVars: Map<string, { neutral: string; group: string }>;
  notes: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const asString = (v: unknown): string | undefined => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : []);

/** `${{ parameters.X }}`, `${{ variables.X }}` and `${{ 'literal' }}` replaced; anything else left with a note. */
function templateText(text: string, params: Record<string, string>, vars: Record<string, string>, notes: string[]): string {
  return text.replace(/\$\{\{\s*([\s\S]*?)\s*\}\}/g, (whole, expr: string) => {
    const lit = /^'((?:[^']|'')*)'$/.exec(expr);
    if (lit) return lit[1]!.split("''").join("'");
    const ref = /^(parameters|variables)\.([A-Za-z0-9_.-]+)$/.exec(expr) ?? /^(parameters|variables)\['([^']+)'\]$/.exec(expr);
    const value = ref ? (ref[1] === "parameters" ? params[ref[2]!] : vars[ref[2]!]) : undefined;
    if (value !== undefined) return value;
    notes.push(`template expression ${whole} is not modelled: left as written`);
    return whole;
  });
}

function walk(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === "string") return f(v);
  if (Array.isArray(v)) return v.map((x) => walk(x, f));
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, f)]));
  return v;
}

function varDefs(v: unknown): VarDef[] {
  if (isRecord(v)) return Object.entries(v).map(([name, value]) => ({ name, value: asString(value) ?? "" }));
  if (!Array.isArray(v)) return [];
  return v.flatMap((e): VarDef[] => {
    if (!isRecord(e)) return [];
    if (typeof e.group === "string") return [{ group: e.group }];
    return typeof e.name === "string" ? [{ name: e.name, value: asString(e.value) ?? "" }] : [];
  });
}

function deploymentSteps(j: Record<string, unknown>, unrun: string[]): Step[] {
  const strategy = isRecord(j.strategy) ? j.strategy : {};
  const once = isRecord(strategy.runOnce) ? strategy.runOnce : undefined;
  if (!once) {
    unrun.push(`deployment strategy ${Object.keys(strategy).join(",") || "(none)"}`);
    return [];
  }
  for (const hook of Object.keys(once)) if (hook !== "deploy") unrun.push(`runOnce.${hook}`);
  const deploy = isRecord(once.deploy) ? once.deploy : {};
  return Array.isArray(deploy.steps) ? deploy.steps.filter(isRecord) : [];
}

function loadJob(j: Record<string, unknown>): AzJob {
  const deployment = typeof j.deployment === "string";
  const unrun: string[] = [];
  const server = j.pool === "server" || (isRecord(j.pool) && j.pool.name === "server");
  const strategy = isRecord(j.strategy) ? j.strategy : {};
  const matrix =
    !deployment && isRecord(strategy.matrix)
      ? Object.fromEntries(
          Object.entries(strategy.matrix).map(([k, vs]) => [
            k,
            Object.fromEntries(Object.entries(isRecord(vs) ? vs : {}).map(([n, x]) => [n, asString(x) ?? ""])),
          ]),
        )
      : undefined;
  const env = j.environment;
  return {
    id: String(deployment ? j.deployment : j.job),
    displayName: asString(j.displayName),
    kind: deployment ? "deployment" : server ? "server" : "job",
    dependsOn: strings(j.dependsOn),
    condition: asString(j.condition),
    timeoutInMinutes: typeof j.timeoutInMinutes === "number" ? j.timeoutInMinutes : undefined,
    container: isRecord(j.container) ? asString(j.container.image) : asString(j.container),
    environment: isRecord(env) ? asString(env.name) : asString(env),
    variables: varDefs(j.variables),
    matrix,
    steps: deployment ? deploymentSteps(j, unrun) : Array.isArray(j.steps) ? j.steps.filter(isRecord) : [],
    unrun,
  };
}

/** Stage dependsOn: absent → the previous stage; [] → none. */
function loadStages(raw: unknown[]): AzStage[] {
  const stages = raw.filter(isRecord);
  return stages.map((s, i) => ({
    id: String(s.stage),
    displayName: asString(s.displayName),
    dependsOn: s.dependsOn === undefined ? (i > 0 ? [String(stages[i - 1]!.stage)] : []) : strings(s.dependsOn),
    condition: asString(s.condition),
    manual: s.trigger === "manual",
    variables: varDefs(s.variables),
    jobs: (Array.isArray(s.jobs) ? s.jobs : []).filter(isRecord).map(loadJob),
  }));
}

function secretHeader(text: string): Map<string, { neutral: string; group: string }> {
  const out = new Map<string, { neutral: string; group: string }>();
  for (const m of text.matchAll(/^#\s*pipeglot:secret\s+(\S+)\s+group:([^/\s]+)\/(\S+)\s*$/gm)) out.set(m[3]!, { neutral: m[1]!, group: m[2]! });
  return out;
}

/** Reads the pipeline YAML; `queued` gives runtime parameter values chosen when the run is queued. */
export function loadPipeline(text: string, queued: Record<string, string>): AzPipeline {
  const notes: string[] = [];
  const raw: unknown = parse(text);
  const doc = isRecord(raw) ? raw : {};
  const params: Record<string, string> = {};
  for (const p of Array.isArray(doc.parameters) ? doc.parameters.filter(isRecord) : []) {
    const name = String(p.name);
    params[name] = queued[name] ?? asString(p.default) ?? "";
  }
  const compileVars: Record<string, string> = {};
  for (const v of varDefs(doc.variables)) if ("name" in v) compileVars[v.name] = v.value;
  const done = walk(doc, (s) => templateText(s, params, compileVars, notes)) as Record<string, unknown>;
  if (done.extends !== undefined) notes.push("extends templates are not modelled");
  if (Array.isArray(done.jobs) || Array.isArray(done.steps)) notes.push("a pipeline without stages is not modelled");
  return { variables: varDefs(done.variables), stages: loadStages(Array.isArray(done.stages) ? done.stages : []), secretVars: secretHeader(text), notes };
}
