/**
 * OCI DevOps → Pipeline IR. Input: one or several files of one pipeline: build specs, the JSON
 * pipeglot writes, or the JSON the OCI CLI prints. The DAG is rebuilt from stage predecessors;
 * pipeglot's own tags (when present) restore the neutral stage/job structure exactly.
 */
import type { ImportOptions, ImportResult, NativeFile } from "@pipeglot/core";
import { isObject, NameRegistry, reporter } from "@pipeglot/core";
import {
  NAME_PATTERN,
  sortDiagnostics,
  topoSort,
  type ConditionIR,
  type Diagnostic,
  type JobIR,
  type PipelineIR,
  type Position,
  type SourceMap,
  type StageIR,
  type StepIR,
  type TriggersIR,
  type VariableIR,
} from "@pipeglot/schema";
import { CODES, type OciCode } from "../diagnostics.js";
import { GENERATED_STEP, MATRIX_PREFIX, PASSED_VARIABLES, REF, TAG, refName, runnerOf } from "../conventions.js";
import { SPEC_ENV_KEYS, SPEC_KEYS, SPEC_STEP_KEYS } from "../native/build-spec.js";
import { DEFAULT_RUNNER_IMAGE } from "../native/resources.js";
import { neutralRule } from "../names.js";
import { isWord, patternOf, tokenize, type WordSeg } from "../shell.js";
import { isShell, neutralText, neutralWord, parseWrapped, referencedNames, type ParsedClause, type RefMap, type WrappedStep } from "./commands.js";
import { detectFile, itemsOf, parseFile, type Item } from "./files.js";

type Obj = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined);
const tagsOf = (v: Obj): Record<string, string> => (isObject(v.freeformTags) ? (v.freeformTags as Record<string, string>) : {});

export function detect(f: NativeFile): number {
  try {
    return detectFile(f);
  } catch {
    return 0;
  }
}

class Importer {
  readonly diagnostics: Diagnostic[] = [];
  private readonly push = reporter(CODES, this.diagnostics);
  readonly positions = new Map<string, Position>();
  constructor(readonly firstFile: string) {}

  report(code: OciCode, at: { item: Item; ptr?: string }, message: string): void {
    const pos = at.item.map.locate(`${at.item.pointer}${at.ptr ?? ""}`);
    this.push(code, "", message);
    const d = this.diagnostics[this.diagnostics.length - 1]!;
    Object.assign(d, { file: pos.file, line: pos.line, column: pos.column });
  }

  mark(irPtr: string, item: Item, ptr = ""): void {
    if (!this.positions.has(irPtr)) this.positions.set(irPtr, item.map.locate(`${item.pointer}${ptr}`));
  }

  sourceMap(): SourceMap {
    const positions = this.positions;
    const file = this.firstFile;
    const locate = (ptr: string): Position => {
      let p = ptr;
      for (;;) {
        const hit = positions.get(p);
        if (hit) return hit;
        if (p === "") return { file, line: 1, column: 1 };
        p = p.slice(0, p.lastIndexOf("/"));
      }
    };
    return { file, locate, locateInString: (ptr) => locate(ptr) };
  }
}

interface JobDraft {
  stageName: string;
  stageIndex: number;
  jobIndex: number;
  stageNeeds?: string[];
  name: string;
  cell: number;
  job: JobIR;
  clauses: ParsedClause[][];
  /** OCI stage id (OCID or symbolic ref) → for predecessors. */
  ids: string[];
  preds: string[];
  matrixValues: Record<string, string>;
  item: Item;
  /** Native position of each imported step (same order as job.steps). */
  stepAt: { item: Item; ptr: string }[];
}

const hasDuplicates = (imp: Importer) => imp.diagnostics.some((d) => d.code === "PG-OCI-IMPORT-DUPLICATE-KEY");

export function importFiles(files: NativeFile[], _opts: ImportOptions = {}): ImportResult {
  void _opts;
  const imp = new Importer(files[0]?.path ?? "");
  const items: Item[] = [];
  const manifestKinds = new Map<string, string>();
  const parsed = files.map((f) => parseFile(f));
  for (const p of parsed) {
    const v = p.value as Obj | undefined;
    if (isObject(v) && v.provider === "oci" && Array.isArray(v.files)) {
      for (const e of v.files as Obj[]) {
        const match = files.find((f) => f.path === str(e.path) || f.path.endsWith(`/${str(e.path)}`));
        if (match && str(e.kind)) manifestKinds.set(match.path, str(e.kind)!);
      }
    }
  }
  for (const p of parsed) {
    if (p.error) {
      imp.diagnostics.push({ severity: "error", code: "PG-OCI-IMPORT-PARSE", message: `cannot parse: ${p.error.message}`, path: "", file: p.file, line: p.error.line, column: p.error.column });
      continue;
    }
    // A key given twice: what a reviewer read may not be what would be imported, so nothing is.
    imp.diagnostics.push(...p.duplicates);
    for (const it of itemsOf(p, manifestKinds)) {
      if (it.kind === "manifest") continue;
      if (it.kind === "unknown") imp.report("PG-OCI-IMPORT-UNKNOWN-FILE", { item: it }, `not a build spec or an OCI DevOps resource; ignored`);
      else items.push(it);
    }
  }
  if (hasDuplicates(imp)) return { diagnostics: sortDiagnostics(imp.diagnostics) };
  const specs = items.filter((i) => i.kind === "spec");
  const buildStages = items.filter((i) => i.kind === "buildStage");
  const deployStages = items.filter((i) => i.kind === "deployStage");
  if (specs.length === 0 && buildStages.length === 0 && deployStages.length === 0) {
    // A file that does not parse already has its error; "no pipeline" would only repeat it.
    if (parsed.some((p) => p.error)) return { diagnostics: sortDiagnostics(imp.diagnostics) };
    imp.diagnostics.push({ severity: "error", code: "PG-OCI-IMPORT-NO-PIPELINE", message: "no build spec and no build or deploy stage among the files", path: "", ...(files[0] ? { file: files[0].path, line: 1, column: 1 } : {}) });
    return { diagnostics: sortDiagnostics(imp.diagnostics) };
  }
  try {
    const pipeline = assemble(imp, items);
    if (hasDuplicates(imp)) return { diagnostics: sortDiagnostics(imp.diagnostics) };
    return { pipeline, diagnostics: sortDiagnostics(imp.diagnostics), sourceMap: imp.sourceMap() };
  } catch (e) {
    imp.diagnostics.push({ severity: "error", code: "PG-OCI-IMPORT-PARSE", message: `unexpected content: ${(e as Error).message}`, path: "" });
    return { diagnostics: sortDiagnostics(imp.diagnostics) };
  }
}

function assemble(imp: Importer, items: Item[]): PipelineIR {
  const buildPipeline = items.find((i) => i.kind === "buildPipeline");
  const bp = buildPipeline?.value ?? {};
  const bpTags = tagsOf(bp);
  const ours = bpTags[TAG.managedBy] === "pipeglot" || items.some((i) => tagsOf(i.value)[TAG.job] !== undefined);

  // Variables: build pipeline parameters (minus the ones pipeglot adds for the deploy pipeline).
  const fixed = new Set((bpTags[TAG.fixedVariables] ?? "").split(",").filter(Boolean));
  const variables: Record<string, VariableIR> = {};
  const params = new Map<string, string>();
  const paramItems = isObject(bp.buildPipelineParameters) && Array.isArray((bp.buildPipelineParameters as Obj).items) ? ((bp.buildPipelineParameters as Obj).items as Obj[]) : [];
  for (const p of paramItems) {
    const name = str(p.name);
    if (!name || (PASSED_VARIABLES as readonly string[]).includes(name)) continue;
    variables[name] = { default: str(p.defaultValue) ?? "", overridable: !fixed.has(name), ...(str(p.description) !== undefined ? { description: str(p.description)! } : {}) };
    params.set(name, name);
  }
  const secrets: PipelineIR["secrets"] = {};

  // Specs by path (BUILD stages name them by buildSpecFile), command specs by deploy artifact ref.
  const specs = items.filter((i) => i.kind === "spec");
  const specFor = (file: string | undefined): Item | undefined => {
    if (!file) return specs.length === 1 && items.filter((i) => i.kind === "buildStage" && i.value.buildPipelineStageType === "BUILD").length === 1 ? specs[0] : undefined;
    const norm = file.replace(/^\.?\//, "");
    return specs.find((s) => s.file === norm || s.file.endsWith(`/${norm}`) || norm.endsWith(`/${s.file.replace(/^.*?\/(build_specs\/)/, "$1")}`)) ?? specs.find((s) => norm.endsWith(s.file.split("/").slice(-2).join("/")));
  };
  const artifacts = items.filter((i) => i.kind === "deployArtifact");
  const commandSpecFor = (ref: string | undefined): Item | undefined => {
    const name = ref ? refName(ref, "deployArtifact") : undefined;
    const art = artifacts.find((a) => (name !== undefined && str(a.value.displayName) === name) || str(a.value.id) === ref);
    const src = art && isObject(art.value.deployArtifactSource) ? (art.value.deployArtifactSource as Obj) : undefined;
    const b64 = src ? str(src.base64EncodedContent) : undefined;
    if (!art || !b64) return undefined;
    // Positions inside the decoded content cannot be shown in the file: the artifact's position, and words.
    const at = art.map.locate(art.pointer);
    const here = { line: at.line, column: at.column, endLine: at.endLine ?? at.line, endColumn: at.endColumn ?? at.column };
    const where = { file: at.file, offset: () => here, where: (q: { line: number; column: number }) => `line ${q.line}, column ${q.column} of the base64 content of deploy artifact ${str(art.value.displayName) ?? ""}` };
    const p = parseFile({ path: art.file, content: Buffer.from(b64, "base64").toString("utf8") }, where);
    imp.diagnostics.push(...p.duplicates);
    return isObject(p.value) ? { kind: "spec", value: p.value, file: art.file, pointer: "", map: art.map } : undefined;
  };

  const drafts: JobDraft[] = [];
  const usedJobNames = new Map<string, NameRegistry>();
  const jobName = (stage: string, raw: string, item: Item) => {
    let reg = usedJobNames.get(stage);
    if (!reg) usedJobNames.set(stage, (reg = new NameRegistry(neutralRule)));
    const n = reg.take(raw);
    if (n !== raw) imp.report("PG-OCI-IMPORT-NAME", { item, ptr: "/displayName" }, `name "${raw}" becomes "${n}" (neutral names use letters, digits, '.', '_', '-')`);
    return n;
  };

  const stageItems = items.filter((i) => i.kind === "buildStage" || i.kind === "deployStage");
  const gates: Item[] = [];
  for (const it of stageItems) {
    const v = it.value;
    const type = str(v.buildPipelineStageType) ?? str(v.deployStageType) ?? "";
    const deploy = it.kind === "deployStage";
    if (type === "MANUAL_APPROVAL") {
      gates.push(it);
      continue;
    }
    if (type !== "BUILD" && type !== "SHELL") {
      const t = tagsOf(v)[TAG.kind];
      if (!(ours && (t === "deliver-artifacts" || t === "trigger-deploy"))) imp.report("PG-OCI-IMPORT-STAGE-TYPE", { item: it }, `${deploy ? "deploy" : "build"} stage "${str(v.displayName) ?? "?"}" of type ${type} has no neutral equivalent; dropped`);
      continue;
    }
    const tags = tagsOf(v);
    const spec = type === "BUILD" ? specFor(str(v.buildSpecFile)) : commandSpecFor(str(v.commandSpecDeployArtifactId));
    const stageName = tags[TAG.stage] ?? (deploy ? "deploy" : "build");
    const rawName = tags[TAG.job] ?? str(v.displayName) ?? "job";
    const name = tags[TAG.job] !== undefined ? rawName : jobName(stageName, rawName, it);
    const d = draftJob(imp, it, spec, { stageName, name, deploy, params, secrets, ours });
    d.stageIndex = num(tags[TAG.stageIndex]) ?? (deploy ? 1 : 0);
    d.jobIndex = num(tags[TAG.jobIndex]) ?? drafts.length;
    if (tags[TAG.stageNeeds] !== undefined) d.stageNeeds = tags[TAG.stageNeeds]!.split(",").filter(Boolean);
    else if (deploy) d.stageNeeds = ["build"];
    d.cell = num(tags[TAG.cell]) ?? 0;
    d.ids = [str(v.id) ?? (deploy ? REF.deployStage(str(v.displayName) ?? "") : REF.buildStage(str(v.displayName) ?? ""))];
    const pc = (deploy ? v.deployStagePredecessorCollection : v.buildPipelineStagePredecessorCollection) as Obj | undefined;
    d.preds = isObject(pc) && Array.isArray(pc.items) ? (pc.items as Obj[]).map((x) => str(x.id) ?? "") : [];
    const job = d.job;
    const image = tags[TAG.image];
    if (image !== undefined) job.image = image;
    else if (!d.job.image) job.image = str(v.image) ?? DEFAULT_RUNNER_IMAGE;
    if (tags[TAG.environment] !== undefined) job.environment = tags[TAG.environment];
    if (str(v.description) !== undefined) job.description = str(v.description)!;
    const shape = deploy ? ((v.containerConfig as Obj | undefined)?.shapeConfig as Obj | undefined) : (v.buildRunnerShapeConfig as Obj | undefined);
    job.runner = runnerOf(isObject(shape) ? num(shape.ocpus) : undefined);
    const t = num(deploy ? v.timeoutInSeconds : v.stageExecutionTimeoutInSeconds);
    if (job.timeoutSeconds === undefined && t !== undefined) job.timeoutSeconds = t;
    drafts.push(d);
  }
  // Build specs given without any stage: one job each.
  if (stageItems.length === 0) {
    specs.forEach((s, k) => {
      const base = s.file.split("/").pop()!.replace(/\.(ya?ml)$/i, "");
      const d = draftJob(imp, s, s, { stageName: "build", name: jobName("build", base, s), deploy: false, params, secrets, ours: false });
      d.stageIndex = 0;
      d.jobIndex = k;
      d.ids = [`spec:${s.file}`];
      if (!d.job.image) d.job.image = DEFAULT_RUNNER_IMAGE;
      drafts.push(d);
    });
  }

  // Matrix cells → one job.
  const groups = new Map<string, JobDraft[]>();
  for (const d of drafts) {
    const key = `${d.stageName}\u0000${d.name}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const jobs: JobDraft[] = [];
  for (const g of groups.values()) {
    g.sort((a, b) => a.cell - b.cell);
    const first = g[0]!;
    if (g.length > 1 || Object.keys(first.matrixValues).length) {
      const matrix: Record<string, string[]> = {};
      for (const d of g) for (const [k, v] of Object.entries(d.matrixValues)) if (!(matrix[k] ??= []).includes(v)) matrix[k]!.push(v);
      first.job.matrix = matrix;
    }
    first.ids = g.flatMap((d) => d.ids);
    first.preds = [...new Set(g.flatMap((d) => d.preds))];
    jobs.push(first);
  }

  // Job needs from predecessors (same neutral stage only).
  const byId = new Map<string, JobDraft>();
  for (const j of jobs) for (const id of j.ids) byId.set(id, j);
  for (const j of jobs) {
    const needs: string[] = [];
    for (const p of j.preds) {
      const other = byId.get(p);
      if (other && other !== j && other.stageName === j.stageName && !needs.includes(other.name)) needs.push(other.name);
    }
    j.job.needs = needs;
  }

  // Stages.
  const stageNames = [...new Set(jobs.map((j) => j.stageName))];
  const stageIndex = (n: string) => Math.min(...jobs.filter((j) => j.stageName === n).map((j) => j.stageIndex));
  stageNames.sort((a, b) => stageIndex(a) - stageIndex(b) || (a < b ? -1 : 1));
  const stages: StageIR[] = stageNames.map((n) => {
    const js = jobs.filter((j) => j.stageName === n);
    const ordered = ours ? js.sort((a, b) => a.jobIndex - b.jobIndex) : topoOrder(js);
    const needs = js.find((j) => j.stageNeeds)?.stageNeeds ?? [];
    const stage: StageIR = { id: n, name: n, needs: needs.filter((x) => stageNames.includes(x)), transition: { enabled: true }, jobs: ordered.map((j) => j.job) };
    assignConditions(stage, ordered, params);
    return stage;
  });
  // Gates → approval / disabled transition of their stage.
  for (const g of gates) {
    const t = tagsOf(g.value);
    const target = stages.find((s) => s.name === t[TAG.stage]) ?? stages.find((s) => s.name === "deploy");
    if (!target) {
      imp.report("PG-OCI-IMPORT-STAGE-TYPE", { item: g }, `MANUAL_APPROVAL stage "${str(g.value.displayName) ?? "?"}" guards no imported job; dropped`);
      continue;
    }
    const desc = str(g.value.description);
    if (t[TAG.gate] === "transition") target.transition = { enabled: false, ...(desc !== undefined ? { reason: desc } : {}) };
    else {
      target.approval = {
        approvers: (t[TAG.approvers] ?? "").split(",").filter(Boolean),
        notify: (t[TAG.notify] ?? "").split(",").filter(Boolean),
        ...(num(t[TAG.approvalTimeout]) !== undefined ? { timeoutSeconds: num(t[TAG.approvalTimeout])! } : {}),
        ...(desc !== undefined ? { instructions: desc } : {}),
      };
    }
  }
  stages.forEach((s, i) => {
    s.jobs.forEach((j, k) => {
      const d = jobs.find((x) => x.job === j)!;
      imp.mark(`/stages/${i}/jobs/${k}`, d.item);
      imp.mark(`/stages/${i}`, d.item);
      d.stepAt.forEach((at, n) => imp.mark(`/stages/${i}/jobs/${k}/steps/${n}`, at.item, at.ptr));
    });
  });

  // Pipeline.
  const firstBuild = stageItems.find((i) => i.value.buildPipelineStageType === "BUILD")?.value;
  const sources = isObject(firstBuild?.buildSourceCollection) ? ((firstBuild!.buildSourceCollection as Obj).items as Obj[] | undefined) : undefined;
  const src = sources?.[0];
  const url = str(src?.repositoryUrl);
  const ct = str(src?.connectionType);
  const provider = ours ? (bpTags[TAG.sourceProvider] || undefined) : ct === "GITHUB" ? "github" : ct === "GITLAB" ? "gitlab" : ct?.startsWith("BITBUCKET") ? "bitbucket" : undefined;
  const m = url ? /^https?:\/\/(github\.com|gitlab\.com|bitbucket\.org)\/(.+?)(\.git)?\/?$/.exec(url) : null;
  const repository = m ? m[2]! : url ?? "unknown/repository";
  const nameRaw = str(bp.displayName) ?? specsName(items);
  let name = neutralRule.sanitize(nameRaw).slice(0, 64);
  if (!NAME_PATTERN.test(name)) name = "imported";
  if (name !== nameRaw && buildPipeline) imp.report("PG-OCI-IMPORT-NAME", { item: buildPipeline, ptr: "/displayName" }, `pipeline name "${nameRaw}" becomes "${name}"`);
  const ir: PipelineIR = {
    version: 1,
    name,
    source: { repository, branch: str(src?.branch) ?? "main", ...(provider ? { provider: provider as PipelineIR["source"]["provider"] & string } : {}) },
    triggers: importTriggers(items, str(src?.branch) ?? "main", stageItems.length > 0),
    concurrency: "queue",
    variables,
    secrets,
    defaults: {},
    stages,
    targets: {},
  };
  if (str(bp.description) !== undefined) ir.description = str(bp.description)!;
  const oci: NonNullable<PipelineIR["targets"]["oci"]> = {};
  const projectId = str(bp.projectId);
  if (projectId && !projectId.startsWith("${")) oci.projectId = projectId;
  const conn = str(src?.connectionId);
  if (conn && !conn.startsWith("${")) oci.connectionId = conn;
  if (url && !m) oci.repositoryUrl = url;
  if (Object.keys(oci).length) ir.targets.oci = oci;
  if (buildPipeline) imp.mark("", buildPipeline);
  return ir;
}

function specsName(items: Item[]): string {
  const s = items.find((i) => i.kind === "spec");
  return s ? s.file.split("/").pop()!.replace(/\.(ya?ml)$/i, "") : "imported";
}

function topoOrder(js: JobDraft[]): JobDraft[] {
  const byName = new Map(js.map((j) => [j.name, j]));
  const names = [...js].sort((a, b) => a.jobIndex - b.jobIndex).map((j) => j.name);
  return (topoSort(names, (n) => byName.get(n)!.job.needs) ?? names).map((n) => byName.get(n)!);
}

const clauseKey = (c: ParsedClause) => JSON.stringify(c);

/** Guards common to every step of a stage → stage condition; of a job → job condition; the rest stay on steps. */
function assignConditions(stage: StageIR, jobs: JobDraft[], params: Map<string, string>): void {
  const toCondition = (cs: ParsedClause[]): ConditionIR | undefined => {
    if (!cs.length) return undefined;
    const c: ConditionIR = { status: "success", branches: [], variables: {} };
    for (const x of cs) {
      if (x.kind === "branches") c.branches.push(...x.patterns);
      else c.variables[params.get(x.name) ?? x.name] = x.value;
    }
    return c;
  };
  const all = jobs.flatMap((j) => j.clauses);
  const common = (lists: ParsedClause[][]): ParsedClause[] =>
    lists.length === 0 ? [] : lists[0]!.filter((c) => lists.every((l) => l.some((x) => clauseKey(x) === clauseKey(c))));
  const stageLevel = all.length ? common(all) : [];
  const sc = toCondition(stageLevel);
  if (sc) stage.condition = sc;
  const without = (l: ParsedClause[], drop: ParsedClause[]) => l.filter((c) => !drop.some((d) => clauseKey(d) === clauseKey(c)));
  for (const j of jobs) {
    const lists = j.clauses.map((l) => without(l, stageLevel));
    const jobLevel = lists.length ? common(lists) : [];
    const jc = toCondition(jobLevel);
    if (jc) j.job.condition = jc;
    j.job.steps.forEach((s, n) => {
      const c = toCondition(without(lists[n] ?? [], jobLevel));
      if (c) s.condition = c;
    });
  }
}

const PR_EVENTS: Record<string, "opened" | "updated" | "reopened" | "closed"> = {
  PULL_REQUEST_CREATED: "opened",
  PULL_REQUEST_UPDATED: "updated",
  PULL_REQUEST_REOPENED: "reopened",
  PULL_REQUEST_MERGED: "closed",
};

function importTriggers(items: Item[], branch: string, hasStages: boolean): TriggersIR {
  const triggers = items.filter((i) => i.kind === "trigger");
  if (!hasStages && triggers.length === 0)
    return { push: { branches: { include: [branch], exclude: [] }, tags: { include: [], exclude: [] }, paths: { include: [], exclude: [] } }, schedules: [], manual: true };
  const out: TriggersIR = { schedules: [], manual: true };
  for (const t of triggers) {
    for (const a of (Array.isArray(t.value.actions) ? t.value.actions : []) as Obj[]) {
      const f = isObject(a.filter) ? a.filter : {};
      const events = (Array.isArray(f.events) ? f.events : []) as string[];
      const inc = isObject(f.include) ? f.include : {};
      const exc = isObject(f.exclude) ? f.exclude : {};
      const paths = (o: Obj) => (isObject(o.fileFilter) && Array.isArray(o.fileFilter.filePaths) ? (o.fileFilter.filePaths as string[]) : []);
      if (events.includes("PUSH")) {
        out.push ??= { branches: { include: [], exclude: [] }, tags: { include: [], exclude: [] }, paths: { include: paths(inc), exclude: paths(exc) } };
        const h = str(inc.headRef);
        if (h && !out.push.branches.include.includes(h)) out.push.branches.include.push(h);
      }
      const pr = events.map((e) => PR_EVENTS[e]).filter((e): e is NonNullable<typeof e> => !!e);
      if (pr.length) {
        out.pullRequest ??= { branches: { include: [], exclude: [] }, paths: { include: paths(inc), exclude: paths(exc) }, events: [] };
        for (const e of ["opened", "updated", "reopened", "closed"] as const) if (pr.includes(e) && !out.pullRequest.events.includes(e)) out.pullRequest.events.push(e);
        const b = str(inc.baseRef);
        if (b && !out.pullRequest.branches.include.includes(b)) out.pullRequest.branches.include.push(b);
      }
    }
  }
  return out;
}

interface DraftOpts {
  stageName: string;
  name: string;
  deploy: boolean;
  params: Map<string, string>;
  secrets: PipelineIR["secrets"];
  ours: boolean;
}

/** One job from a build/command spec (and its OCI stage item, for positions). */
function draftJob(imp: Importer, stageItem: Item, spec: Item | undefined, o: DraftOpts): JobDraft {
  const job: JobIR = { id: `${o.stageName}.${o.name}`, name: o.name, needs: [], image: "", runner: "small", env: {}, steps: [], produces: [], consumes: [], retries: 0 };
  const d: JobDraft = { stageName: o.stageName, stageIndex: 0, jobIndex: 0, name: o.name, cell: 0, job, clauses: [], ids: [], preds: [], matrixValues: {}, item: stageItem, stepAt: [] };
  if (!spec) {
    imp.report("PG-OCI-IMPORT-BUILD-SPEC-MISSING", { item: stageItem }, `the spec of stage "${str(stageItem.value.displayName) ?? o.name}" (${str(stageItem.value.buildSpecFile) ?? str(stageItem.value.commandSpecDeployArtifactId) ?? "build_spec.yaml"}) is not among the files; the job keeps a native step`);
    job.steps.push({ id: "step-1", shell: "bash", env: {}, continueOnError: false, retries: 0, native: { oci: { buildSpecFile: str(stageItem.value.buildSpecFile) ?? str(stageItem.value.commandSpecDeployArtifactId) ?? "build_spec.yaml" } } });
    d.clauses.push([]);
    return d;
  }
  const s = spec.value;
  const at = (ptr: string) => ({ item: spec, ptr });
  for (const k of Object.keys(s)) if (!(SPEC_KEYS as readonly string[]).includes(k)) imp.report("PG-OCI-IMPORT-UNSUPPORTED-KEY", at(`/${k}`), `build spec key "${k}" has no neutral equivalent; ignored`);
  for (const k of ["runAs"]) if (k in s && !o.ours) imp.report("PG-OCI-IMPORT-UNSUPPORTED-KEY", at(`/${k}`), `build spec key "${k}" (${String(s[k])}) has no neutral equivalent; ignored`);
  const env = isObject(s.env) ? s.env : {};
  for (const k of Object.keys(env)) if (!(SPEC_ENV_KEYS as readonly string[]).includes(k)) imp.report("PG-OCI-IMPORT-UNSUPPORTED-KEY", at(`/env/${k}`), `env key "${k}" has no neutral equivalent; ignored`);
  const vars = isObject(env.variables) ? (env.variables as Obj) : {};
  const vault = isObject(env.vaultVariables) ? (env.vaultVariables as Obj) : {};
  const exported = Array.isArray(env.exportedVariables) ? (env.exportedVariables as unknown[]).map(String) : [];
  const foreignExports = exported.filter((x) => !(PASSED_VARIABLES as readonly string[]).includes(x));
  if (foreignExports.length) imp.report("PG-OCI-IMPORT-EXPORTED-VARIABLES", at("/env/exportedVariables"), `exported variables ${foreignExports.join(", ")} have no neutral equivalent; dropped (the commands that set them are kept)`);
  for (const [k, v] of Object.entries(vault)) {
    const ref = String(v ?? "");
    if (!o.secrets[k]) o.secrets[k] = { oci: ref };
  }
  const refs: RefMap = { params: o.params, secrets: new Set(Object.keys(vault)) };
  const t = num(s.timeoutInSeconds);
  if (t !== undefined) job.timeoutSeconds = t;

  // Steps.
  const rawSteps = (Array.isArray(s.steps) ? s.steps : []) as unknown[];
  const images: string[] = [];
  const referenced = new Set<string>();
  const names = new NameRegistry(neutralRule);
  const packs = new Map<string, string[]>();
  const unpacks = new Set<string>();
  let index = 0;
  rawSteps.forEach((raw, n) => {
    if (!isObject(raw)) return;
    const stepName = str(raw.name);
    const command = typeof raw.command === "string" ? raw.command : raw.command === undefined || raw.command === null ? "" : String(raw.command);
    if (stepName?.startsWith(GENERATED_STEP) && o.ours) {
      if (stepName.startsWith("pipeglot-pack-")) packs.set(stepName.slice("pipeglot-pack-".length), packPaths(command));
      else if (stepName.startsWith("pipeglot-unpack-")) unpacks.add(stepName.slice("pipeglot-unpack-".length));
      // EXPORT_STEP only sets values for the deploy pipeline.
      return;
    }
    if (raw.type !== undefined && raw.type !== "Command") {
      job.steps.push(foreignTypeStep(imp, raw, names, at(`/steps/${n}`), index));
      d.stepAt.push({ item: spec, ptr: `/steps/${n}` });
      d.clauses.push([]);
      index++;
      return;
    }
    for (const k of Object.keys(raw)) if (!(SPEC_STEP_KEYS as readonly string[]).includes(k)) imp.report("PG-OCI-IMPORT-UNSUPPORTED-KEY", at(`/steps/${n}/${k}`), `step key "${k}" has no neutral equivalent; ignored`);
    if ("runAs" in raw) imp.report("PG-OCI-IMPORT-UNSUPPORTED-KEY", at(`/steps/${n}/runAs`), `step key "runAs" has no neutral equivalent; ignored`);
    const w = parseWrapped(command);
    const text = w ? w.text : command;
    for (const r of referencedNames(text)) referenced.add(r);
    if (w) for (const [, segs] of w.env) for (const x of segs) if (x.kind === "env") referenced.add(x.name);
    const step = stepFrom(w, text, refs);
    const id = stepName !== undefined ? names.take(stepName) : undefined;
    if (stepName !== undefined && id !== stepName) imp.report("PG-OCI-IMPORT-NAME", at(`/steps/${n}/name`), `step name "${stepName}" becomes "${id}"`);
    step.id = id ?? `step-${index + 1}`;
    if (id !== undefined) step.name = id;
    const st = num(raw.timeoutInSeconds);
    if (st !== undefined) step.timeoutSeconds = st;
    if (w?.image) images.push(neutralWord(w.image, refs));
    if (w?.shell && isShell(w.shell)) step.shell = w.shell;
    if (!w && typeof raw.shell === "string" && isShell(raw.shell)) step.shell = raw.shell;
    d.stepAt.push({ item: spec, ptr: `/steps/${n}` });
    job.steps.push(step);
    d.clauses.push(w?.clauses ?? []);
    index++;
    if (Array.isArray(raw.onFailure) && raw.onFailure.length) {
      const cmds = (raw.onFailure as unknown[]).filter(isObject).map((f) => (typeof f.command === "string" ? f.command : "")).filter(Boolean);
      imp.report("PG-OCI-IMPORT-ON-FAILURE", at(`/steps/${n}/onFailure`), `the onFailure commands of step "${stepName ?? index}" become a following step with condition: failure (it runs when any earlier step failed)`);
      const base = `${id ?? `step-${index}`}-on-failure`;
      const fid = names.take(base);
      job.steps.push({ id: fid, name: fid, run: neutralText(cmds.join("\n"), refs), shell: "bash", env: {}, continueOnError: false, retries: 0, condition: { status: "failure", branches: [], variables: {} } });
      d.stepAt.push({ item: spec, ptr: `/steps/${n}/onFailure` });
      d.clauses.push([]);
      index++;
    }
  });
  if (images.length) job.image = images[0]!;

  // Env: variables; vault variables not referenced by any step are job env.
  for (const [k, v] of Object.entries(vars)) {
    if (k.startsWith(MATRIX_PREFIX)) {
      d.matrixValues[k.slice(MATRIX_PREFIX.length)] = String(v ?? "");
      continue;
    }
    job.env[k] = neutralText(String(v ?? ""), refs);
    for (const r of referencedNames(String(v ?? ""))) referenced.add(r);
  }
  for (const k of Object.keys(vault)) if (!referenced.has(k)) job.env[k] = `\${{ secrets.${k} }}`;

  // Artifacts.
  const inputs = (Array.isArray(s.inputArtifacts) ? s.inputArtifacts : []) as unknown[];
  inputs.forEach((a, n) => {
    if (!isObject(a)) return;
    const name = str(a.name) ?? `artifact-${n + 1}`;
    const type = str(a.type);
    if (o.ours && unpacks.has(name)) job.consumes.push(name);
    else if (type === "STAGE_ARTIFACT") job.consumes.push(name);
    else if (type === "URL" && str(a.url)) {
      imp.report("PG-OCI-IMPORT-INPUT-ARTIFACT", at(`/inputArtifacts/${n}`), `URL input artifact "${name}" becomes a download step`);
      const sid = names.take(`download-${name}`);
      job.steps.unshift({ id: sid, name: sid, run: neutralText(`curl -fsSL -o "${str(a.location) ?? name}" "${str(a.url)}"`, refs), shell: "bash", env: {}, continueOnError: false, retries: 0 });
      d.clauses.unshift([]);
      d.stepAt.unshift({ item: spec, ptr: `/inputArtifacts/${n}` });
    } else imp.report("PG-OCI-IMPORT-INPUT-ARTIFACT", at(`/inputArtifacts/${n}`), `input artifact "${name}" of type ${type ?? "?"} has no neutral equivalent; dropped`);
  });
  const outputs = (Array.isArray(s.outputArtifacts) ? s.outputArtifacts : []) as unknown[];
  outputs.forEach((a, n) => {
    if (!isObject(a)) return;
    const name = str(a.name) ?? `artifact-${n + 1}`;
    if (packs.has(name)) job.produces.push({ name, paths: packs.get(name)! });
    else if (str(a.type) === "BINARY" && str(a.location)) job.produces.push({ name, paths: [workspacePath(imp, str(a.location)!, at(`/outputArtifacts/${n}/location`))] });
    else imp.report("PG-OCI-IMPORT-OUTPUT-ARTIFACT", at(`/outputArtifacts/${n}`), `output artifact "${name}" of type ${str(a.type) ?? "?"} has no neutral equivalent; dropped`);
  });
  return d;
}

function stepFrom(w: WrappedStep | undefined, text: string, refs: RefMap): StepIR {
  const step: StepIR = { id: "", run: neutralText(text, refs), shell: "bash", env: {}, continueOnError: false, retries: 0 };
  if (!w) return step;
  for (const [k, segs] of w.env) step.env[k] = neutralWord(segs as WordSeg[], refs);
  if (w.workingDirectory !== undefined) step.workingDirectory = w.workingDirectory;
  step.retries = w.retries;
  step.continueOnError = w.continueOnError;
  return step;
}

/** Paths of a generated pack step: the words after `tar -czf FILE`. */
function packPaths(command: string): string[] {
  const line = command.split("\n").find((l) => l.startsWith("tar -czf "));
  const tokens = line ? tokenize(line) : undefined;
  if (!tokens) return [];
  // `--` ends tar's options (a path or a matched file name starting with '-' is never an option).
  const rest = tokens.slice(3);
  return (isWord(rest[0], "--") ? rest.slice(1) : rest).flatMap((t) => (t.type === "word" ? [patternOf(t)] : []));
}

/**
 * A step of another type than Command (VulnerabilityAudit, …) has no neutral equivalent: it is
 * kept whole as a native.oci step, so that a compile to OCI writes it back as it was.
 */
function foreignTypeStep(imp: Importer, raw: Obj, names: NameRegistry, at: { item: Item; ptr: string }, index: number): StepIR {
  const stepName = str(raw.name);
  const id = stepName !== undefined ? names.take(stepName) : names.take(`step-${index + 1}`);
  imp.report("PG-OCI-IMPORT-NATIVE-STEP", { item: at.item, ptr: `${at.ptr}/type` }, `step type "${String(raw.type)}" has no neutral equivalent: the step is kept as written in native.oci`);
  return { id, ...(stepName !== undefined ? { name: id } : {}), shell: "bash", env: {}, continueOnError: false, retries: 0, native: { oci: structuredClone(raw) } };
}

/**
 * An output artifact location → a neutral path (relative to the source checkout, where steps run):
 * `${OCI_PRIMARY_SOURCE_DIR}/x` is `x`; `${OCI_WORKSPACE_DIR}/x` is `../x` (sources are cloned into
 * the workspace folder). Neutral paths are data, so a variable left in one would never expand.
 */
function workspacePath(imp: Importer, location: string, at: { item: Item; ptr: string }): string {
  const m = /^\$\{?(OCI_PRIMARY_SOURCE_DIR|OCI_WORKSPACE_DIR)\}?\/+(.+)$/.exec(location);
  if (!m) return location;
  const path = m[1] === "OCI_PRIMARY_SOURCE_DIR" ? m[2]! : `../${m[2]!}`;
  imp.report("PG-OCI-IMPORT-ARTIFACT-PATH", at, `output artifact location ${JSON.stringify(location)} becomes the path ${JSON.stringify(path)} (relative to the source checkout)`);
  return path;
}
