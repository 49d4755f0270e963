/**
 * Build and deploy stages (BUILD / SHELL) → job drafts: one per OCI stage, its spec read into
 * steps, env and artifacts; pipeglot's tags give back the neutral stage, name and position. Matrix
 * cells fold back into one job; predecessors in the same neutral stage become job needs.
 * MANUAL_APPROVAL stages are returned as gates for stages.ts.
 */
import { isObject, NameRegistry } from "@pipeglot/core";
import type { JobIR, PipelineIR } from "@pipeglot/schema";
import { MATRIX_PREFIX, PASSED_VARIABLES, REF, TAG, runnerOf } from "../conventions.js";
import { SPEC_ENV_KEYS, SPEC_KEYS } from "../native/build-spec.js";
import { DEFAULT_RUNNER_IMAGE } from "../native/resources.js";
import { neutralRule } from "../names.js";
import { importArtifacts } from "./artifacts.js";
import { neutralText, referencedNames, type RefMap } from "./commands.js";
import { num, str, tagsOf, type At, type DraftOpts, type Importer, type JobDraft, type Obj } from "./context.js";
import type { Item } from "./files.js";
import { specFinder, type SpecFinder } from "./specs.js";
import { importSteps } from "./steps.js";

interface DraftCx {
  imp: Importer;
  specs: SpecFinder;
  params: Map<string, string>;
  secrets: PipelineIR["secrets"];
  ours: boolean;
  jobName: (stage: string, raw: string, item: Item) => string;
}

/** Every job draft of the stages (or of the specs, when no stage is given), and the approval stages. */
export function draftJobs(
  imp: Importer,
  items: Item[],
  params: Map<string, string>,
  secrets: PipelineIR["secrets"],
  ours: boolean,
): { drafts: JobDraft[]; gates: Item[] } {
  const usedJobNames = new Map<string, NameRegistry>();
  const jobName = (stage: string, raw: string, item: Item) => {
    let reg = usedJobNames.get(stage);
    if (!reg) usedJobNames.set(stage, (reg = new NameRegistry(neutralRule)));
    const n = reg.take(raw);
    if (n !== raw)
      imp.report("PG-OCI-IMPORT-NAME", { item, ptr: "/displayName" }, `name "${raw}" becomes "${n}" (neutral names use letters, digits, '.', '_', '-')`);
    return n;
  };
  const cx: DraftCx = { imp, specs: specFinder(imp, items), params, secrets, ours, jobName };
  const drafts: JobDraft[] = [];
  const gates: Item[] = [];
  const stageItems = items.filter((i) => i.kind === "buildStage" || i.kind === "deployStage");
  for (const it of stageItems) {
    const type = str(it.value.buildPipelineStageType) ?? str(it.value.deployStageType) ?? "";
    if (type === "MANUAL_APPROVAL") gates.push(it);
    else if (type !== "BUILD" && type !== "SHELL") {
      const t = tagsOf(it.value)[TAG.kind];
      if (!(ours && (t === "deliver-artifacts" || t === "trigger-deploy")))
        imp.report(
          "PG-OCI-IMPORT-STAGE-TYPE",
          { item: it },
          `${it.kind === "deployStage" ? "deploy" : "build"} stage "${str(it.value.displayName) ?? "?"}" of type ${type} has no neutral equivalent; dropped`,
        );
    } else drafts.push(draftStageJob(cx, it, type, drafts.length));
  }
  // Build specs given without any stage: one job each.
  if (stageItems.length === 0) {
    items
      .filter((i) => i.kind === "spec")
      .forEach((s, k) => {
        const base = s.file
          .split("/")
          .pop()!
          .replace(/\.(ya?ml)$/i, "");
        const d = draftJob(imp, s, s, { stageName: "build", name: jobName("build", base, s), deploy: false, params, secrets, ours: false });
        d.stageIndex = 0;
        d.jobIndex = k;
        d.ids = [`spec:${s.file}`];
        if (!d.job.image) d.job.image = DEFAULT_RUNNER_IMAGE;
        drafts.push(d);
      });
  }
  return { drafts, gates };
}

/** A BUILD or SHELL stage → its job draft (count: drafts so far, the job's index without a tag). */
function draftStageJob(cx: DraftCx, it: Item, type: string, count: number): JobDraft {
  const v = it.value;
  const deploy = it.kind === "deployStage";
  const tags = tagsOf(v);
  const spec = type === "BUILD" ? cx.specs.specFor(str(v.buildSpecFile)) : cx.specs.commandSpecFor(str(v.commandSpecDeployArtifactId));
  const stageName = tags[TAG.stage] ?? (deploy ? "deploy" : "build");
  const rawName = tags[TAG.job] ?? str(v.displayName) ?? "job";
  const name = tags[TAG.job] !== undefined ? rawName : cx.jobName(stageName, rawName, it);
  const d = draftJob(cx.imp, it, spec, { stageName, name, deploy, params: cx.params, secrets: cx.secrets, ours: cx.ours });
  d.stageIndex = num(tags[TAG.stageIndex]) ?? (deploy ? 1 : 0);
  d.jobIndex = num(tags[TAG.jobIndex]) ?? count;
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
  return d;
}

/** Matrix cells (drafts of one stage and name) → one job with the matrix of their values. */
export function foldMatrix(drafts: JobDraft[]): JobDraft[] {
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
  return jobs;
}

/** Job needs from predecessors (same neutral stage only). */
export function linkNeeds(jobs: JobDraft[]): void {
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
}

/** One job from a build/command spec (and its OCI stage item, for positions). */
function draftJob(imp: Importer, stageItem: Item, spec: Item | undefined, o: DraftOpts): JobDraft {
  const job: JobIR = {
    id: `${o.stageName}.${o.name}`,
    name: o.name,
    needs: [],
    image: "",
    runner: "small",
    env: {},
    steps: [],
    produces: [],
    consumes: [],
    retries: 0,
  };
  const d: JobDraft = {
    stageName: o.stageName,
    stageIndex: 0,
    jobIndex: 0,
    name: o.name,
    cell: 0,
    job,
    clauses: [],
    ids: [],
    preds: [],
    matrixValues: {},
    item: stageItem,
    stepAt: [],
  };
  if (!spec) {
    const file = str(stageItem.value.buildSpecFile) ?? str(stageItem.value.commandSpecDeployArtifactId) ?? "build_spec.yaml";
    imp.report(
      "PG-OCI-IMPORT-BUILD-SPEC-MISSING",
      { item: stageItem },
      `the spec of stage "${str(stageItem.value.displayName) ?? o.name}" (${file}) is not among the files; the job keeps a native step`,
    );
    job.steps.push({ id: "step-1", shell: "bash", env: {}, continueOnError: false, retries: 0, native: { oci: { buildSpecFile: file } } });
    d.clauses.push([]);
    return d;
  }
  const { vars, vault, refs } = readSpecEnv(imp, spec, o);
  const t = num(spec.value.timeoutInSeconds);
  if (t !== undefined) job.timeoutSeconds = t;
  const read = importSteps(imp, d, spec, refs, o.ours);
  if (read.images.length) job.image = read.images[0]!;
  // Env: variables; vault variables not referenced by any step are job env.
  for (const [k, v] of Object.entries(vars)) {
    if (k.startsWith(MATRIX_PREFIX)) {
      d.matrixValues[k.slice(MATRIX_PREFIX.length)] = String(v ?? "");
      continue;
    }
    job.env[k] = neutralText(String(v ?? ""), refs);
    for (const r of referencedNames(String(v ?? ""))) read.referenced.add(r);
  }
  for (const k of Object.keys(vault)) if (!read.referenced.has(k)) job.env[k] = `\${{ secrets.${k} }}`;
  importArtifacts(imp, d, spec, refs, o.ours, read);
  return d;
}

/** The spec's keys checked, its env read: variables, vault variables (→ secrets), and the names commands may reference. */
function readSpecEnv(imp: Importer, spec: Item, o: DraftOpts): { vars: Obj; vault: Obj; refs: RefMap } {
  const s = spec.value;
  const at = (ptr: string): At => ({ item: spec, ptr });
  for (const k of Object.keys(s))
    if (!(SPEC_KEYS as readonly string[]).includes(k))
      imp.report("PG-OCI-IMPORT-UNSUPPORTED-KEY", at(`/${k}`), `build spec key "${k}" has no neutral equivalent; ignored`);
  for (const k of ["runAs"])
    if (k in s && !o.ours)
      imp.report("PG-OCI-IMPORT-UNSUPPORTED-KEY", at(`/${k}`), `build spec key "${k}" (${String(s[k])}) has no neutral equivalent; ignored`);
  const env = isObject(s.env) ? s.env : {};
  for (const k of Object.keys(env))
    if (!(SPEC_ENV_KEYS as readonly string[]).includes(k))
      imp.report("PG-OCI-IMPORT-UNSUPPORTED-KEY", at(`/env/${k}`), `env key "${k}" has no neutral equivalent; ignored`);
  const vars = isObject(env.variables) ? (env.variables as Obj) : {};
  const vault = isObject(env.vaultVariables) ? (env.vaultVariables as Obj) : {};
  const exported = Array.isArray(env.exportedVariables) ? (env.exportedVariables as unknown[]).map(String) : [];
  const foreignExports = exported.filter((x) => !(PASSED_VARIABLES as readonly string[]).includes(x));
  if (foreignExports.length)
    imp.report(
      "PG-OCI-IMPORT-EXPORTED-VARIABLES",
      at("/env/exportedVariables"),
      `exported variables ${foreignExports.join(", ")} have no neutral equivalent; dropped (the commands that set them are kept)`,
    );
  for (const [k, v] of Object.entries(vault)) {
    const ref = String(v ?? "");
    if (!o.secrets[k]) o.secrets[k] = { oci: ref };
  }
  return { vars, vault, refs: { params: o.params, secrets: new Set(Object.keys(vault)) } };
}
