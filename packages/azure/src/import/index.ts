/**
 * Azure Pipelines → Pipeline IR. Reads azure-pipelines.yml (templates and compile-time expressions
 * expanded first), and when given, the definition.json, environments and checks that pipeglot
 * writes beside it. Pure: other files are read only through opts.readFile.
 */
import type { ImportOptions, ImportResult, NativeFile } from "@pipeglot/core";
import {
  DEFAULT_IMAGE,
  sortDiagnostics,
  type ApprovalIR,
  type Diagnostic,
  type JobIR,
  type PipelineIR,
  type SourceMap,
  type StageIR,
  type TriggersIR,
} from "@pipeglot/schema";
import { DEFAULT_FOLDER } from "../compile/definition.js";
import { DEFAULT_YAML_PATH } from "../compile/index.js";
import { MATRIX_IMAGE_VAR } from "../compile/jobs.js";
import { neutralName, sanitizeId } from "../names.js";
import { readDependsOn, readFilter, readVariables } from "../native/pipeline.js";
import { importCondition } from "./conditions.js";
import { mark, report, type ImportCtx } from "./context.js";
import { importSteps } from "./steps.js";
import { expandTemplates, type Pos } from "./template/expand.js";
import { toStr } from "./template/expr.js";
import { macroPieces, neutralText } from "./text.js";
import { isObject } from "@pipeglot/core";

const SECRET_HEADER = /^\s*pipeglot:secret (\S+) (\S+)\s*$/;

/** How likely `file` is an Azure Pipelines file. */
export function detect(file: NativeFile): number {
  if (/azure-pipelines[^/]*\.ya?ml$/i.test(file.path)) return 0.95;
  if (/\.ya?ml$/i.test(file.path) && /^\s*(stages|jobs|steps|trigger|pr|pool|extends)\s*:/m.test(file.content)) {
    let score = 0.3;
    if (/^\s*-\s*(task: \w+@\d|script:|bash:|pwsh:|stage:|job:|deployment:)/m.test(file.content)) score += 0.4;
    if (/vmImage|\$\(Build\.|\$\{\{/.test(file.content)) score += 0.2;
    return Math.min(score, 0.9);
  }
  if (/\.json$/i.test(file.path) && /"yamlFilename"/.test(file.content)) return 0.6;
  return 0;
}

const json = (t: string): unknown => {
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
};

function sourceMapOf(file: string, map: Map<string, Pos>): SourceMap {
  const locate = (ptr: string) => {
    let p = ptr;
    for (;;) {
      const hit = map.get(p);
      if (hit) return { file: hit.file, line: hit.line, column: hit.column };
      if (!p) return { file, line: 1, column: 1 };
      p = p.slice(0, p.lastIndexOf("/"));
    }
  };
  return { file, locate: (ptr) => locate(ptr), locateInString: (ptr) => locate(ptr) };
}

function triggers(ctx: ImportCtx, doc: Record<string, unknown>): { triggers: TriggersIR; supersede: boolean } {
  const t: TriggersIR = { schedules: [], manual: true };
  let supersede = false;
  const tr = doc.trigger;
  if (tr === undefined) t.push = { branches: { include: ["*"], exclude: [] }, tags: { include: [], exclude: [] }, paths: { include: [], exclude: [] } };
  else if (tr !== "none" && tr !== null && tr !== false) {
    if (Array.isArray(tr) || typeof tr === "string") t.push = { branches: readFilter(tr), tags: { include: [], exclude: [] }, paths: { include: [], exclude: [] } };
    else if (isObject(tr)) {
      const branches = readFilter(tr.branches);
      const tags = readFilter(tr.tags);
      // Our compiler writes `branches: {exclude: ["*"]}` for a tags-only trigger.
      if (tags.include.length && branches.include.length === 0 && branches.exclude.length === 1 && branches.exclude[0] === "*") branches.exclude = [];
      t.push = { branches, tags, paths: readFilter(tr.paths) };
      if (tr.batch === true || tr.batch === "true") supersede = true;
    }
  }
  const pr = doc.pr;
  if (pr === undefined) t.pullRequest = { branches: { include: ["*"], exclude: [] }, paths: { include: [], exclude: [] }, events: ["opened", "updated", "reopened"] };
  else if (pr !== "none" && pr !== null && pr !== false) {
    if (Array.isArray(pr) || typeof pr === "string") t.pullRequest = { branches: readFilter(pr), paths: { include: [], exclude: [] }, events: ["opened", "updated", "reopened"] };
    else if (isObject(pr)) {
      const branches = readFilter(pr.branches);
      if (!branches.include.length && !branches.exclude.length) branches.include = ["*"];
      t.pullRequest = { branches, paths: readFilter(pr.paths), events: ["opened", "updated", "reopened"] };
    }
  }
  if (Array.isArray(doc.schedules))
    for (const s of doc.schedules) {
      if (!isObject(s) || typeof s.cron !== "string") continue;
      t.schedules.push({ cron: s.cron, branches: readFilter(s.branches).include, always: s.always === true || s.always === "true" });
      if (readFilter(s.branches).exclude.length) report(ctx, "PG-ADO-IMPORT-LOSSY", "schedule branch excludes dropped", s);
    }
  void ctx;
  return { triggers: t, supersede };
}

interface RawJob {
  raw: Record<string, unknown>;
  id: string;
}

function jobName(raw: Record<string, unknown>, id: string): string {
  const d = typeof raw.displayName === "string" ? raw.displayName : undefined;
  if (d !== undefined && neutralName(d) === d && id.toLowerCase().startsWith(sanitizeId(d).toLowerCase())) return d;
  return neutralName(id) ?? "job";
}

function importJob(ctx: ImportCtx, raw: Record<string, unknown>, id: string, stageName: string, ptr: string, needs: string[]): JobIR {
  const name = jobName(raw, id);
  const job: JobIR = { id: `${stageName}.${name}`, name, needs, image: DEFAULT_IMAGE, runner: "small", env: {}, steps: [], produces: [], consumes: [], retries: 0 };
  const native: Record<string, unknown> = {};
  const strategy = isObject(raw.strategy) ? raw.strategy : undefined;
  // Matrix
  let matrixKeys = new Set<string>();
  let imageTemplate: string | undefined;
  if (strategy && isObject(strategy.matrix)) {
    const cells = Object.entries(strategy.matrix).filter(([, v]) => isObject(v)) as [string, Record<string, unknown>][];
    const keys: string[] = [];
    for (const [, c] of cells) for (const k of Object.keys(c)) if (k !== MATRIX_IMAGE_VAR && !keys.includes(k)) keys.push(k);
    const values: Record<string, string[]> = Object.fromEntries(keys.map((k) => [k, [] as string[]]));
    for (const [, c] of cells) for (const k of keys) if (c[k] !== undefined && !values[k]!.includes(toStr(c[k]))) values[k]!.push(toStr(c[k]));
    const full = keys.length > 0 && cells.every(([, c]) => keys.every((k) => c[k] !== undefined)) && cells.length === keys.reduce((n, k) => n * values[k]!.length, 1);
    if (full) {
      job.matrix = values;
      matrixKeys = new Set(keys);
    } else {
      job.matrix = { cell: cells.map(([n]) => n) };
      report(ctx, "PG-ADO-IMPORT-MATRIX", `matrix cells of job ${id} are not every combination of their values; imported as one axis over the cell names`, strategy, `${ptr}/matrix`);
    }
    const images = cells.map(([, c]) => (c[MATRIX_IMAGE_VAR] === undefined ? undefined : toStr(c[MATRIX_IMAGE_VAR])));
    if (full && images.every((x) => x !== undefined)) {
      for (const k of keys) {
        const first = cells[0]![1];
        const v0 = toStr(first[k]);
        if (!v0 || !images[0]!.includes(v0)) continue;
        const tpl = images[0]!.split(v0).join(`\${{ matrix.${k} }}`);
        if (cells.every(([, c], i) => tpl.split(`\${{ matrix.${k} }}`).join(toStr(c[k])) === images[i])) {
          imageTemplate = tpl;
          break;
        }
      }
    }
    if (strategy.maxParallel !== undefined) native.strategy = { maxParallel: strategy.maxParallel };
  } else if (strategy && strategy.parallel !== undefined) {
    native.strategy = { parallel: strategy.parallel };
    report(ctx, "PG-ADO-IMPORT-NATIVE-KEY", `strategy.parallel of job ${id} kept as native.azure`, strategy, ptr);
  }
  const scope = { ...ctx.scope, matrix: matrixKeys };
  const jctx: ImportCtx = { ...ctx, scope };
  // Image
  const c = raw.container;
  if (typeof c === "string") {
    if (c === `$[ variables['${MATRIX_IMAGE_VAR}'] ]` && imageTemplate) job.image = imageTemplate;
    else if (/^\$\[/.test(c)) {
      native.container = c;
      report(ctx, "PG-ADO-IMPORT-NATIVE-KEY", `container ${c} is a runtime expression; kept as native.azure`, raw, `${ptr}/image`);
    } else job.image = c;
  } else if (isObject(c) && typeof c.image === "string") {
    job.image = c.image;
    const { image: _i, ...rest } = c;
    void _i;
    if (Object.keys(rest).length) {
      native.container = c;
      report(ctx, "PG-ADO-IMPORT-NATIVE-KEY", `container settings ${Object.keys(rest).join(", ")} kept as native.azure`, c, `${ptr}/image`);
    }
  } else if (c === undefined) {
    // No container: the steps run on the agent itself. Keep that for a recompile to Azure.
    native.container = null;
  } else {
    native.container = c;
  }
  if (raw.pool !== undefined) native.pool = raw.pool;
  for (const k of ["workspace", "services", "cancelTimeoutInMinutes", "continueOnError", "uses", "templateContext"]) if (raw[k] !== undefined) native[k] = raw[k];
  // Environment and steps
  let stepsRaw: unknown[] = Array.isArray(raw.steps) ? raw.steps : [];
  if (raw.deployment !== undefined) {
    const env = raw.environment;
    const envName = typeof env === "string" ? env : isObject(env) && typeof env.name === "string" ? env.name : undefined;
    if (envName !== undefined) job.environment = envName.split(".")[0]!;
    if (isObject(env) && Object.keys(env).some((k) => k !== "name")) {
      native.environment = env;
      report(ctx, "PG-ADO-IMPORT-NATIVE-KEY", "environment resource settings kept as native.azure", env, `${ptr}/environment`);
    } else if (typeof env === "string" && env.includes(".")) native.environment = env;
    const st = strategy ?? {};
    const kind = Object.keys(st).find((k) => ["runOnce", "rolling", "canary"].includes(k));
    const body = kind && isObject(st[kind]) ? (st[kind] as Record<string, unknown>) : {};
    const hooks = ["preDeploy", "deploy", "routeTraffic", "postRouteTraffic"];
    stepsRaw = [];
    for (const h of hooks) {
      const hk = body[h];
      if (isObject(hk) && Array.isArray(hk.steps)) stepsRaw.push(...hk.steps);
    }
    if (kind && kind !== "runOnce") report(ctx, "PG-ADO-IMPORT-LOSSY", `deployment strategy ${kind} imported as its steps run once`, st, ptr);
    if (isObject(body.on)) report(ctx, "PG-ADO-IMPORT-LOSSY", "deployment on.success / on.failure hooks dropped", body, ptr);
  }
  const parts = importSteps(jctx, stepsRaw, `${ptr}/steps`);
  job.steps = parts.steps;
  job.produces = parts.produces;
  job.consumes = parts.consumes;
  if (raw.timeoutInMinutes !== undefined && Number(raw.timeoutInMinutes) > 0) job.timeoutSeconds = Number(raw.timeoutInMinutes) * 60;
  // Job variables → env
  for (const v of readVariables(raw.variables)) {
    if ("name" in v) job.env[v.name] = neutralText(macroPieces(toStr(v.value)), scope, []);
    else if ("group" in v) report(ctx, "PG-ADO-IMPORT-LOSSY", `job variable group ${v.group} dropped (declare its secrets at the root)`, raw, `${ptr}/env`);
  }
  if (typeof raw.condition === "string") {
    const cond = importCondition(raw.condition);
    if (cond) job.condition = cond;
    else {
      native.condition = raw.condition;
      report(ctx, "PG-ADO-IMPORT-CONDITION", `condition ${JSON.stringify(raw.condition)} kept as native.azure.condition`, raw, `${ptr}/condition`);
    }
  }
  if (typeof raw.displayName === "string" && raw.displayName !== name && neutralName(raw.displayName) !== raw.displayName) job.description = raw.displayName;
  if (Object.keys(native).length) {
    job.native = { azure: native };
    const shown = Object.keys(native).filter((k) => !(k === "container" && native.container === null));
    if (shown.length) report(ctx, "PG-ADO-IMPORT-NATIVE-KEY", `job ${id}: ${shown.join(", ")} kept as native.azure`, raw, `${ptr}/native`);
  }
  mark(ctx, ptr, raw);
  return job;
}

function approvalFrom(task: Record<string, unknown>): ApprovalIR {
  const inputs = isObject(task.inputs) ? task.inputs : {};
  const list = (v: unknown, sep: RegExp) => toStr(v ?? "").split(sep).map((x) => x.trim()).filter(Boolean);
  const a: ApprovalIR = { approvers: list(inputs.approvers, /[,\n]/), notify: list(inputs.notifyUsers, /[,\n]/) };
  if (task.timeoutInMinutes !== undefined && Number(task.timeoutInMinutes) > 0) a.timeoutSeconds = Number(task.timeoutInMinutes) * 60;
  if (inputs.instructions !== undefined) a.instructions = toStr(inputs.instructions);
  return a;
}

function importStage(ctx: ImportCtx, raw: Record<string, unknown>, i: number, prev: string | undefined, idToName: Map<string, string>): StageIR {
  const ptr = `/stages/${i}`;
  const id = typeof raw.stage === "string" ? raw.stage : `stage_${i + 1}`;
  const name = idToName.get(id)!;
  const deps = readDependsOn(raw.dependsOn);
  const stage: StageIR = { id: name, name, needs: deps === undefined ? (prev ? [prev] : []) : deps.map((d) => idToName.get(d) ?? d), transition: { enabled: raw.trigger !== "manual" }, jobs: [] };
  const native: Record<string, unknown> = {};
  if (typeof raw.condition === "string") {
    const c = importCondition(raw.condition);
    if (c) stage.condition = c;
    else {
      native.condition = raw.condition;
      report(ctx, "PG-ADO-IMPORT-CONDITION", `condition ${JSON.stringify(raw.condition)} kept as native.azure.condition`, raw, `${ptr}/condition`);
    }
  }
  for (const k of ["variables", "pool", "lockBehavior", "isSkippable", "templateContext"]) if (raw[k] !== undefined) native[k] = raw[k];
  const jobsRaw = (Array.isArray(raw.jobs) ? raw.jobs : []).filter(isObject);
  // Agentless ManualValidation jobs are the stage's approval.
  const gate = jobsRaw.find(
    (j) => (j.pool === "server" || (isObject(j.pool) && j.pool.name === "server")) && Array.isArray(j.steps) && j.steps.length === 1 && isObject(j.steps[0]) && /^ManualValidation@/i.test(toStr(j.steps[0].task)),
  );
  const gateId = gate ? toStr(gate.job) : undefined;
  if (gate) stage.approval = approvalFrom((gate.steps as Record<string, unknown>[])[0]!);
  const jobs = jobsRaw.filter((j) => j !== gate);
  const ids = jobs.map((j, k) => toStr(j.job ?? j.deployment ?? `job_${k + 1}`));
  const names = new Map<string, string>();
  const taken = new Set<string>();
  jobs.forEach((j, k) => {
    let n = jobName(j, ids[k]!);
    for (let x = 2; taken.has(n.toLowerCase()); x++) n = `${jobName(j, ids[k]!)}-${x}`;
    taken.add(n.toLowerCase());
    names.set(ids[k]!, n);
  });
  jobs.forEach((j, k) => {
    const needs = (readDependsOn(j.dependsOn) ?? []).filter((d) => d !== gateId).map((d) => names.get(d) ?? d);
    const job = importJob(ctx, j, ids[k]!, name, `${ptr}/jobs/${k}`, needs);
    if (job.name !== names.get(ids[k]!)) {
      job.name = names.get(ids[k]!)!;
      job.id = `${name}.${job.name}`;
    }
    stage.jobs.push(job);
  });
  if (!jobs.length) report(ctx, "PG-ADO-IMPORT-LOSSY", `stage ${id} has no jobs (they came from templates that were not read?); the stage is left out`, raw, ptr);
  if (Object.keys(native).length) {
    stage.native = { azure: native };
    report(ctx, "PG-ADO-IMPORT-NATIVE-KEY", `stage ${id}: ${Object.keys(native).join(", ")} kept as native.azure`, raw, `${ptr}/native`);
  }
  mark(ctx, ptr, raw);
  return stage;
}

/** Azure files → IR. `files` holds azure-pipelines.yml and optionally definition.json, environments/*.json, checks/*.json. */
export function importFiles(files: NativeFile[], opts: ImportOptions = {}): ImportResult {
  const diagnostics: Diagnostic[] = [];
  const jsonFiles = files.filter((f) => /\.json$/i.test(f.path)).map((f) => ({ f, v: json(f.content) }));
  const definition = jsonFiles.find((x) => isObject(x.v) && isObject(x.v.process) && "yamlFilename" in x.v.process)?.v as Record<string, unknown> | undefined;
  const checks = jsonFiles.filter((x) => isObject(x.v) && isObject(x.v.type) && isObject(x.v.resource) && isObject(x.v.settings)).map((x) => x.v as Record<string, unknown>);
  const yamls = files.filter((f) => /\.ya?ml$/i.test(f.path));
  const yamlPath = definition && isObject(definition.process) ? toStr(definition.process.yamlFilename).replace(/^\//, "") : undefined;
  const main = yamls.find((f) => yamlPath && f.path.replace(/\\/g, "/").endsWith(yamlPath)) ?? yamls[0];
  if (!main) {
    diagnostics.push({ severity: "error", code: "PG-ADO-IMPORT-NO-PIPELINE", message: "no Azure Pipelines YAML file among the inputs", path: "", file: files[0]?.path ?? "", line: 1, column: 1 });
    return { diagnostics };
  }
  const file = main.path.replace(/\\/g, "/");
  const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "";
  const rel = (p: string) => (dir && p.startsWith(dir + "/") ? p.slice(dir.length + 1) : p);
  const readFile = opts.readFile ? (p: string) => opts.readFile!(rel(p)) : undefined;
  try {
    const ex = expandTemplates(main.content, file, { ...(readFile ? { readFile } : {}), ...(opts.templateRoots ? { templateRoots: opts.templateRoots } : {}) });
    diagnostics.push(...ex.diagnostics);
    if (!isObject(ex.value)) {
      if (!ex.diagnostics.some((d) => d.severity === "error"))
        diagnostics.push({ severity: "error", code: "PG-ADO-IMPORT-NO-PIPELINE", message: "the file is not a YAML mapping", path: "", file, line: 1, column: 1 });
      return { diagnostics: sortDiagnostics(diagnostics) };
    }
    const doc = ex.value;
    const ctx: ImportCtx = { file, positions: ex.positions, diagnostics, scope: { variables: new Set(), matrix: new Set(), secrets: new Map() }, map: new Map() };
    // Secrets: from pipeglot's header comments, else from variable groups and env mappings.
    const secrets: PipelineIR["secrets"] = {};
    for (const line of main.content.split(/\r?\n/)) {
      if (!line.startsWith("#")) {
        if (line.trim()) break;
        continue;
      }
      const m = SECRET_HEADER.exec(line.slice(1));
      if (m) {
        secrets[m[1]!] = { azure: m[2]! };
        const v = /^group:[^/]+\/(.+)$/.exec(m[2]!)?.[1] ?? m[1]!;
        ctx.scope.secrets.set(v, m[1]!);
      }
    }
    // Variables; runtime parameters bound to variables are overridable variables.
    const rawVars = readVariables(doc.variables);
    const params = Array.isArray(doc.parameters) ? doc.parameters.filter(isObject) : [];
    const rawText = main.content;
    const variables: PipelineIR["variables"] = {};
    const groups: string[] = [];
    for (const v of rawVars) {
      if ("group" in v) groups.push(String(v.group));
      else if ("name" in v) {
        const p = params.find((x) => x.name === v.name && new RegExp(`\\$\\{\\{\\s*parameters\\.${v.name}\\s*\\}\\}`).test(rawText));
        if (p) {
          variables[v.name] = { default: toStr(p.default), overridable: true };
          if (typeof p.displayName === "string") variables[v.name]!.description = p.displayName;
        } else variables[v.name] = { default: toStr(v.value), overridable: false };
      } else if ("template" in v) report(ctx, "PG-ADO-IMPORT-TEMPLATE-MISSING", `variables template ${String(v.template)} was not expanded`, doc);
    }
    for (const p of params) if (!(String(p.name) in variables)) report(ctx, "PG-ADO-IMPORT-LOSSY", `runtime parameter ${String(p.name)} expanded with its default ${JSON.stringify(p.default ?? "")}`, doc, "/variables");
    for (const n of Object.keys(variables)) ctx.scope.variables.add(n);
    for (const [k, v] of Object.entries(variables)) v.default = neutralText(macroPieces(v.default), { ...ctx.scope, variables: new Set() }, []);
    // Real files: env values that are exactly $(X), X undeclared and not a predefined (dotted) name, are secrets.
    if (!Object.keys(secrets).length && groups.length) {
      const scan = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(scan);
        else if (isObject(v)) {
          if (isObject(v.env))
            for (const e of Object.values(v.env)) {
              const m = /^\$\(([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(toStr(e));
              if (m && !(m[1]! in variables) && !secrets[m[1]!]) {
                secrets[m[1]!] = groups.length === 1 ? { azure: `group:${groups[0]}/${m[1]}` } : {};
                ctx.scope.secrets.set(m[1]!, m[1]!);
              }
            }
          Object.values(v).forEach(scan);
        }
      };
      scan(doc);
    }
    const { triggers: trig, supersede } = triggers(ctx, doc);
    // Shorthand: root jobs or steps.
    let stagesRaw: Record<string, unknown>[];
    if (Array.isArray(doc.stages)) stagesRaw = doc.stages.filter(isObject);
    else if (Array.isArray(doc.jobs)) stagesRaw = [{ stage: "main", jobs: doc.jobs }];
    else if (Array.isArray(doc.steps)) {
      const job: Record<string, unknown> = { job: "main", steps: doc.steps };
      for (const k of ["container", "strategy", "timeoutInMinutes", "workspace", "services"]) if (doc[k] !== undefined) job[k] = doc[k];
      if (ex.positions.get(doc)) ex.positions.set(job, ex.positions.get(doc)!);
      stagesRaw = [{ stage: "main", jobs: [job] }];
    } else {
      diagnostics.push({ severity: "error", code: "PG-ADO-IMPORT-NO-PIPELINE", message: "the pipeline has no stages, jobs or steps", path: "", file, line: 1, column: 1 });
      return { diagnostics: sortDiagnostics(diagnostics) };
    }
    const idToName = new Map<string, string>();
    const taken = new Set<string>();
    stagesRaw.forEach((s, i) => {
      const id = typeof s.stage === "string" ? s.stage : `stage_${i + 1}`;
      let n = jobName(s, id);
      for (let x = 2; taken.has(n.toLowerCase()); x++) n = `${jobName(s, id)}-${x}`;
      taken.add(n.toLowerCase());
      idToName.set(id, n);
    });
    const stages: StageIR[] = [];
    stagesRaw.forEach((s, i) => {
      const prev = i > 0 ? idToName.get(typeof stagesRaw[i - 1]!.stage === "string" ? (stagesRaw[i - 1]!.stage as string) : `stage_${i}`) : undefined;
      stages.push(importStage(ctx, s, i, prev, idToName));
    });
    // Stages without jobs are left out; stages that needed them inherit their needs.
    for (const empty of stages.filter((s) => s.jobs.length === 0)) {
      for (const s of stages) if (s.needs.includes(empty.name)) s.needs = [...new Set(s.needs.flatMap((n) => (n === empty.name ? empty.needs : [n])))];
    }
    stages.splice(0, stages.length, ...stages.filter((s) => s.jobs.length > 0));
    if (!stages.length) {
      diagnostics.push({ severity: "error", code: "PG-ADO-IMPORT-NO-PIPELINE", message: "no stage has any job (their content comes from templates that could not be read)", path: "", file, line: 1, column: 1 });
      return { diagnostics: sortDiagnostics(diagnostics) };
    }
    // Definition, environment checks.
    const repo = definition && isObject(definition.repository) ? definition.repository : undefined;
    const defaultBranch = repo && typeof repo.defaultBranch === "string" ? repo.defaultBranch.replace(/^refs\/heads\//, "") : "main";
    const base = file.split("/").pop()!.replace(/\.ya?ml$/i, "");
    const name = (definition && typeof definition.name === "string" ? neutralName(definition.name) : undefined) ?? neutralName(base) ?? "pipeline";
    if (!repo) report(ctx, "PG-ADO-IMPORT-LOSSY", "no definition.json: the repository is unknown (written as unknown/repository)", doc, "/source");
    const ir: PipelineIR = {
      version: 1,
      name: name.slice(0, 64),
      source: { repository: repo && typeof repo.name === "string" ? repo.name : "unknown/repository", branch: defaultBranch },
      triggers: trig,
      concurrency: supersede || doc.lockBehavior === "runLatest" ? "supersede" : doc.lockBehavior === "sequential" ? "queue" : "parallel",
      variables,
      secrets,
      defaults: {},
      stages,
      targets: {},
    };
    if (repo?.type === "TfsGit") ir.source.provider = "azure-repos";
    else if (repo?.type === "Bitbucket") ir.source.provider = "bitbucket";
    if (definition && typeof definition.description === "string") ir.description = definition.description;
    const azure: NonNullable<PipelineIR["targets"]["azure"]> = {};
    if (definition) {
      if (isObject(definition.project) && typeof definition.project.name === "string") azure.project = definition.project.name;
      if (typeof definition.path === "string" && definition.path !== DEFAULT_FOLDER) azure.folder = definition.path;
      if (isObject(definition.queue) && typeof definition.queue.name === "string" && definition.queue.name !== "Azure Pipelines") azure.pool = definition.queue.name;
      if (yamlPath && yamlPath !== DEFAULT_YAML_PATH) azure.yamlPath = yamlPath;
    }
    for (const c of checks) {
      const res = c.resource as Record<string, unknown>;
      const settings = c.settings as Record<string, unknown>;
      const env = toStr(res.name);
      const st = stages.find((s) => s.jobs.some((j) => j.environment === env));
      if (!st) continue;
      azure.approvalMode = "environment";
      const a: ApprovalIR = { approvers: Array.isArray(settings.approvers) ? settings.approvers.filter(isObject).map((x) => toStr(x.displayName)) : [], notify: [] };
      if (typeof c.timeout === "number") a.timeoutSeconds = c.timeout * 60;
      if (typeof settings.instructions === "string") a.instructions = settings.instructions;
      st.approval = a;
    }
    if (Object.keys(azure).length) ir.targets.azure = azure;
    // Pool: ours is the default; anything else is kept.
    const pool = doc.pool;
    const native: Record<string, unknown> = {};
    if (pool !== undefined && !(isObject(pool) && pool.vmImage === "ubuntu-latest" && Object.keys(pool).length === 1)) {
      if (isObject(pool) && typeof pool.name === "string" && Object.keys(pool).length === 1 && azure.pool === pool.name) {
        /* written from targets.azure.pool */
      } else native.pool = pool;
    }
    for (const k of ["resources", "name", "appendCommitMessageToRunName"]) if (doc[k] !== undefined) native[k] = doc[k];
    if (Object.keys(native).length) {
      ir.native = { azure: native };
      report(ctx, "PG-ADO-IMPORT-NATIVE-KEY", `${Object.keys(native).join(", ")} kept as native.azure`, doc, "/native");
    }
    return { pipeline: ir, diagnostics: sortDiagnostics(diagnostics), sourceMap: sourceMapOf(file, ctx.map) };
  } catch (e) {
    // Importers never throw for bad input; an exception here is a bug, reported with its message.
    diagnostics.push({ severity: "error", code: "PG-ADO-IMPORT-NO-PIPELINE", message: `internal error while importing: ${(e as Error).message}`, path: "", file, line: 1, column: 1 });
    return { diagnostics: sortDiagnostics(diagnostics) };
  }
}
