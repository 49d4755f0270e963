/**
 * Azure Pipelines → Pipeline IR. Reads azure-pipelines.yml (templates and compile-time expressions
 * expanded first), and when given, the definition.json, environments and checks that pipeglot
 * writes beside it. Pure: other files are read only through opts.readFile. Each concept is read
 * by its own module (triggers, variables, stages, jobs, steps, conditions, artifacts); this one
 * reads the files and puts the parts together.
 */
import type { ImportOptions, ImportResult, NativeFile } from "@pipeglot/core";
import { sortDiagnostics, type ApprovalIR, type Diagnostic, type PipelineIR, type SourceMap, type StageIR } from "@pipeglot/schema";
import { LineCounter, parseDocument } from "yaml";
import { duplicateKeyDiagnostics, duplicateKeys, isObject } from "@pipeglot/core";
import { DEFAULT_FOLDER } from "../compile/definition.js";
import { DEFAULT_YAML_PATH } from "../compile/index.js";
import { neutralName } from "../names.js";
import { settleArtifacts } from "./artifacts.js";
import { DUPLICATE_KEY, diagnosticAt, report, type ImportCtx } from "./context.js";
import { importStages } from "./stages.js";
import { importTriggers } from "./triggers.js";
import { groupSecrets, headerSecrets, rootVariables } from "./variables.js";
import { expandTemplates, type Pos } from "./template/expand.js";
import { toStr } from "./template/expr.js";
import { extendsStage, isTemplateRef, refFragment } from "./templates.js";

/** Standard input (`import -`) has no file name to go by. */
const isStdin = (path: string): boolean => path === "<stdin>" || path === "-";

/** How likely `file` is an Azure Pipelines file. */
export function detect(file: NativeFile): number {
  if (/azure-pipelines[^/]*\.ya?ml$/i.test(file.path)) return 0.95;
  if ((/\.ya?ml$/i.test(file.path) || isStdin(file.path)) && /^\s*(stages|jobs|steps|trigger|pr|pool|extends)\s*:/m.test(file.content)) {
    let score = 0.3;
    if (/^\s*-\s*(task: \w+@\d|script:|bash:|pwsh:|stage:|job:|deployment:)/m.test(file.content)) score += 0.4;
    if (/vmImage|\$\(Build\.|\$\{\{/.test(file.content)) score += 0.2;
    return Math.min(score, 0.9);
  }
  if (/\.json$/i.test(file.path) && /"yamlFilename"/.test(file.content)) return 0.6;
  return 0;
}

/** A JSON file's value (undefined when it is not JSON); a key it holds twice is an error in `diags`. */
const json = (f: NativeFile, diags: Diagnostic[]): unknown => {
  let value: unknown;
  try {
    value = JSON.parse(f.content);
  } catch {
    return undefined;
  }
  // JSON.parse keeps the last of two equal keys without a word; read as YAML (JSON is YAML), both are seen.
  const lc = new LineCounter();
  const doc = parseDocument(f.content, { lineCounter: lc, uniqueKeys: false });
  diags.push(...duplicateKeyDiagnostics(duplicateKeys(doc, lc), { file: f.path, code: DUPLICATE_KEY, outcome: "nothing is imported" }));
  return value;
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

type Raw = Record<string, unknown>;

/** The stages of the document: `stages`, root `jobs` or `steps` (shorthand), or an `extends` template not read. */
function stagesOf(ctx: ImportCtx, doc: Raw, positions: WeakMap<object, Pos>, native: Raw): StageIR[] | undefined {
  if (Array.isArray(doc.stages)) return importStages(ctx, doc.stages.filter(isObject));
  if (Array.isArray(doc.jobs)) return importStages(ctx, [{ stage: "main", jobs: doc.jobs }]);
  if (Array.isArray(doc.steps)) {
    const job: Raw = { job: "main", steps: doc.steps };
    for (const k of ["container", "strategy", "timeoutInMinutes", "workspace", "services"]) if (doc[k] !== undefined) job[k] = doc[k];
    if (positions.get(doc)) positions.set(job, positions.get(doc)!);
    return importStages(ctx, [{ stage: "main", jobs: [job] }]);
  }
  if (isTemplateRef(doc.extends)) {
    native.extends = refFragment(doc.extends);
    native.stages = null;
    const passed = extendsContent(ctx, doc.extends, positions, native);
    return passed?.length ? passed : [extendsStage(ctx, doc.extends)];
  }
  return undefined;
}

/**
 * `extends` of a template that could not be read, whose parameters carry the pipeline's own
 * stages, jobs or steps (the 1ES/Office "official pipeline" shape): those are what the pipeline
 * runs, so they are imported as its stages; what the template adds around them is not known.
 * A recompile to Azure writes the `extends` as it was (native), not these stages.
 */
function extendsContent(ctx: ImportCtx, ref: { template: string; parameters?: unknown }, positions: WeakMap<object, Pos>, native: Raw): StageIR[] | undefined {
  const p = ref.parameters;
  if (!isObject(p) || !(Array.isArray(p.stages) || Array.isArray(p.jobs) || Array.isArray(p.steps))) return undefined;
  const stages = stagesOf(ctx, { stages: p.stages, jobs: p.jobs, steps: p.steps }, positions, native);
  if (stages?.length)
    report(
      ctx,
      "PG-ADO-IMPORT-TEMPLATE-UNREAD",
      `extends template ${ref.template} was not read; the ${Array.isArray(p.stages) ? "stages" : Array.isArray(p.jobs) ? "jobs" : "steps"} passed to it as parameters are imported (what the template adds around them is not), and native.azure keeps the extends`,
      ref,
      "/native/azure/extends",
    );
  return stages;
}

/** Definition, environment checks → targets.azure and stage approvals. */
function azureTarget(definition: Raw | undefined, checks: Raw[], yamlPath: string | undefined, stages: StageIR[]): NonNullable<PipelineIR["targets"]["azure"]> {
  const azure: NonNullable<PipelineIR["targets"]["azure"]> = {};
  if (definition) {
    if (isObject(definition.project) && typeof definition.project.name === "string") azure.project = definition.project.name;
    if (typeof definition.path === "string" && definition.path !== DEFAULT_FOLDER) azure.folder = definition.path;
    if (isObject(definition.queue) && typeof definition.queue.name === "string" && definition.queue.name !== "Azure Pipelines")
      azure.pool = definition.queue.name;
    if (yamlPath && yamlPath !== DEFAULT_YAML_PATH) azure.yamlPath = yamlPath;
  }
  for (const c of checks) {
    const res = c.resource as Raw;
    const settings = c.settings as Raw;
    const st = stages.find((s) => s.jobs.some((j) => j.environment === toStr(res.name)));
    if (!st) continue;
    azure.approvalMode = "environment";
    const a: ApprovalIR = {
      approvers: Array.isArray(settings.approvers) ? settings.approvers.filter(isObject).map((x) => toStr(x.displayName)) : [],
      notify: [],
    };
    if (typeof c.timeout === "number") a.timeoutSeconds = c.timeout * 60;
    if (typeof settings.instructions === "string") a.instructions = settings.instructions;
    st.approval = a;
  }
  return azure;
}

/** Root settings with no neutral home (pool other than ours, resources, run name) → native.azure. */
function rootNative(doc: Raw, azure: NonNullable<PipelineIR["targets"]["azure"]>, native: Raw): void {
  const pool = doc.pool;
  if (pool !== undefined && !(isObject(pool) && pool.vmImage === "ubuntu-latest" && Object.keys(pool).length === 1)) {
    const ours = isObject(pool) && typeof pool.name === "string" && Object.keys(pool).length === 1 && azure.pool === pool.name;
    if (!ours) native.pool = pool;
  }
  for (const k of ["resources", "name", "appendCommitMessageToRunName"]) if (doc[k] !== undefined) native[k] = doc[k];
}

interface Inputs {
  main: NativeFile;
  definition?: Raw;
  checks: Raw[];
  yamlPath?: string;
}

function inputsOf(files: NativeFile[], diags: Diagnostic[]): Inputs | undefined {
  const jsonFiles = files.filter((f) => /\.json$/i.test(f.path)).map((f) => json(f, diags));
  const definition = jsonFiles.find((v) => isObject(v) && isObject(v.process) && "yamlFilename" in v.process) as Raw | undefined;
  const checks = jsonFiles.filter((v) => isObject(v) && isObject(v.type) && isObject(v.resource) && isObject(v.settings)) as Raw[];
  // A file named neither .yml nor .json (standard input: `import -`) is read as YAML.
  const yamls = files.filter((f) => /\.ya?ml$/i.test(f.path) || !/\.json$/i.test(f.path));
  const yamlPath = definition && isObject(definition.process) ? toStr(definition.process.yamlFilename).replace(/^\//, "") : undefined;
  const main = yamls.find((f) => yamlPath && f.path.replace(/\\/g, "/").endsWith(yamlPath)) ?? yamls[0];
  if (!main) return undefined;
  return { main, checks, ...(definition ? { definition } : {}), ...(yamlPath ? { yamlPath } : {}) };
}

function noPipeline(file: string, message: string): Diagnostic {
  return diagnosticAt("PG-ADO-IMPORT-NO-PIPELINE", message, { file, line: 1, column: 1 });
}

/** The expanded document → IR (undefined when it holds no pipeline). */
function toIR(ctx: ImportCtx, doc: Raw, inp: Inputs, positions: WeakMap<object, Pos>): PipelineIR | undefined {
  const native: Raw = {};
  const secrets = headerSecrets(ctx, inp.main.content);
  const { variables, groups } = rootVariables(ctx, doc, inp.main.content, native);
  groupSecrets(ctx, doc, variables, groups, secrets);
  const { triggers: trig, supersede } = importTriggers(ctx, doc);
  const stages = stagesOf(ctx, doc, positions, native);
  if (!stages?.length) return undefined;
  settleArtifacts(ctx, stages);
  const { definition } = inp;
  const repo = definition && isObject(definition.repository) ? definition.repository : undefined;
  const defaultBranch = repo && typeof repo.defaultBranch === "string" ? repo.defaultBranch.replace(/^refs\/heads\//, "") : "main";
  const base = ctx.file
    .split("/")
    .pop()!
    .replace(/\.ya?ml$/i, "");
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
  const azure = azureTarget(definition, inp.checks, inp.yamlPath, stages);
  if (Object.keys(azure).length) ir.targets.azure = azure;
  rootNative(doc, azure, native);
  if (Object.keys(native).length) {
    ir.native = { azure: native };
    report(ctx, "PG-ADO-IMPORT-NATIVE-KEY", `${Object.keys(native).join(", ")} kept as native.azure`, doc, "/native");
  }
  return ir;
}

/** Azure files → IR. `files` holds azure-pipelines.yml and optionally definition.json, environments/*.json, checks/*.json. */
export function importFiles(files: NativeFile[], opts: ImportOptions = {}): ImportResult {
  const diagnostics: Diagnostic[] = [];
  const inp = inputsOf(files, diagnostics);
  if (!inp) return { diagnostics: sortDiagnostics([...diagnostics, noPipeline(files[0]?.path ?? "", "no Azure Pipelines YAML file among the inputs")]) };
  const file = inp.main.path.replace(/\\/g, "/");
  const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "";
  // Template paths come back from the expander without a leading "/" (they are repository paths).
  const bare = dir.replace(/^\/+/, "");
  const rel = (p: string) => (dir && p.startsWith(dir + "/") ? p.slice(dir.length + 1) : bare && p.startsWith(bare + "/") ? p.slice(bare.length + 1) : p);
  const readFile = opts.readFile ? (p: string) => opts.readFile!(rel(p)) : undefined;
  try {
    const ex = expandTemplates(inp.main.content, file, {
      ...(readFile ? { readFile } : {}),
      ...(opts.templateRoots ? { templateRoots: opts.templateRoots } : {}),
    });
    diagnostics.push(...ex.diagnostics);
    // A key given twice (in a file, a template or a definition JSON): what a reviewer read may not be what would be imported.
    if (diagnostics.some((d) => d.code === "PG-ADO-IMPORT-DUPLICATE-KEY")) return { diagnostics: sortDiagnostics(diagnostics) };
    if (!isObject(ex.value)) {
      if (!ex.diagnostics.some((d) => d.severity === "error")) diagnostics.push(noPipeline(file, "the file is not a YAML mapping"));
      return { diagnostics: sortDiagnostics(diagnostics) };
    }
    const ctx: ImportCtx = {
      file,
      positions: ex.positions,
      diagnostics,
      scope: { variables: new Set(), matrix: new Set(), secrets: new Map() },
      map: new Map(),
      uses: new Map(),
    };
    const ir = toIR(ctx, ex.value, inp, ex.positions);
    if (!ir) {
      diagnostics.push(noPipeline(file, "the pipeline has no stages, jobs or steps (nor an extends template)"));
      return { diagnostics: sortDiagnostics(diagnostics) };
    }
    return { pipeline: ir, diagnostics: sortDiagnostics(diagnostics), sourceMap: sourceMapOf(file, ctx.map) };
  } catch (e) {
    // Importers never throw for bad input; an exception here is a bug, reported with its message.
    diagnostics.push(noPipeline(file, `internal error while importing: ${(e as Error).message}`));
    return { diagnostics: sortDiagnostics(diagnostics) };
  }
}
