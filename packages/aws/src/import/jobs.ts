/**
 * A stage's actions → its jobs, grouped by runOrder layer (a job needs the jobs of the layer
 * before it unless pipeglot recorded its needs); matrix cells folded back into one job; artifacts
 * linked by the neutral names of their producers. CodeBuild actions are read through their
 * projects (job.ts); other actions become jobs that keep them as `native.aws.action`.
 */
import type { JobIR, PipelineIR, StageIR } from "@pipeglot/schema";
import { isObject } from "@pipeglot/core";
import type { ActionDeclaration } from "../native/codepipeline.js";
import { ACTION_NAME, neutralName, registry } from "../names.js";
import { buildspecFileFor, str, type DeclarationContext } from "./context.js";
import { importJob, type ImportedJob } from "./job.js";
import { artifactName, keepActionSettings, keepProjectName, nativeJob } from "./native-action.js";

export interface StageAction {
  a: ActionDeclaration;
  /** Index in the stage's actions; -1 for a first stage's approval kept as a job. */
  ai: number;
}

/** A manual approval and its native pointer. */
export interface Gate {
  a: ActionDeclaration;
  ptr: string;
}

/** What the jobs of all stages share. */
export interface JobsState {
  ir: PipelineIR;
  sourceArtifacts: ReadonlySet<string>;
  varNames: ReadonlySet<string>;
  roleArn: string;
  /** AWS artifact → neutral name. */
  artifactOwner: Map<string, string>;
  codebuildRole: string | undefined;
  projectNames: Set<string>;
}

/** The stage being read. */
interface StageAt {
  stage: StageIR;
  si: number;
  sp: string;
  irStage: string;
  gate: Gate | undefined;
}

/** Where an action is: its native pointer and its job's IR path. */
interface ActionAt {
  ap: string;
  irJob: string;
}

type Folded = Map<string, { job: JobIR; meta: ImportedJob["meta"] }>;

export const runOrder = (a: ActionDeclaration): number => Number(a.runOrder) || 1;
export const isApproval = (a: ActionDeclaration): boolean => str(a.actionTypeId?.category) === "Approval" && str(a.actionTypeId?.provider) === "Manual";

export function importStageJobs(cx: DeclarationContext, st: JobsState, at: StageAt, actions: StageAction[]): void {
  const jobNames = registry({ ...ACTION_NAME, sanitize: (n) => neutralName(n, "job") });
  let prevLayer: string[] = [];
  let currentOrder: number | undefined;
  let currentLayer: string[] = [];
  const folded: Folded = new Map();
  for (const { a, ai } of actions) {
    const order = runOrder(a);
    if (order !== currentOrder) {
      if (currentOrder !== undefined) prevLayer = currentLayer;
      currentOrder = order;
      currentLayer = [];
    }
    const where: ActionAt = {
      ap: ai >= 0 ? cx.P("stages", at.si, "actions", ai) : (at.gate?.ptr ?? at.sp),
      irJob: `${at.irStage}/jobs/${at.stage.jobs.length}`,
    };
    const read = readAction(cx, st, a, ai, where, folded);
    if (!read) continue;
    const { job, imported } = read;
    const taken = jobNames.take(job.name);
    if (taken !== job.name) cx.report("PG-AWS-IMPORT-NAME", cx.map, where.ap, `job ${JSON.stringify(job.name)} renamed ${JSON.stringify(taken)}`, where.irJob);
    job.name = taken;
    job.id = `${at.stage.name}.${job.name}`;
    if (imported && !imported.meta?.matrix)
      keepProjectName(job, cx.inp.projects.get(str(actionConfig(a).ProjectName))?.project.name, `${st.ir.name}-${at.stage.name}-${job.name}`, st.projectNames);
    if (!imported?.meta?.needs) job.needs = [...prevLayer];
    linkInputs(cx, st, job, a, !!imported, where);
    currentLayer.push(job.name);
    at.stage.jobs.push(job);
  }
}

const actionConfig = (a: ActionDeclaration) => (isObject(a.configuration) ? a.configuration : {}) as Record<string, unknown>;

/** One action → its job (undefined for a matrix cell folded into an earlier one). */
function readAction(
  cx: DeclarationContext,
  st: JobsState,
  a: ActionDeclaration,
  ai: number,
  where: ActionAt,
  folded: Folded,
): { job: JobIR; imported: ImportedJob | undefined } | undefined {
  const provider = str(a.actionTypeId?.provider);
  const outputs = (a.outputArtifacts ?? []).map((x) => str(x?.name));
  let imported: ImportedJob | undefined;
  if (provider === "CodeBuild") imported = readCodeBuildAction(cx, st, a, where);
  else if (!(isApproval(a) && ai === -1))
    cx.report(
      "PG-AWS-IMPORT-NATIVE-ACTION",
      cx.map,
      where.ap,
      `${str(a.actionTypeId?.category)} action ${str(a.name)} (${str(a.actionTypeId?.owner)}/${provider}) has no neutral equivalent; kept as native.aws.action`,
      where.irJob,
    );
  if (!imported) {
    const job = nativeJob(a);
    cx.sm.set(where.irJob, cx.map, where.ap);
    // Its outputs are artifacts like any other: later jobs consume them by these names.
    for (const o of new Set(outputs.map(artifactName))) {
      job.produces.push({ name: o, paths: ["**"] });
      st.artifactOwner.set(artifactName(o), o);
    }
    return { job, imported };
  }
  const job = imported.job;
  for (const [awsName, neutral] of imported.artifactNames) st.artifactOwner.set(awsName, neutral);
  const produced = (job as JobIR & { _produced?: { aws: string; paths: string[] }[] })._produced ?? [];
  delete (job as JobIR & { _produced?: unknown })._produced;
  outputs.forEach((o, i) => {
    const spec = produced.find((p) => p.aws === o) ?? (outputs.length === 1 ? produced.find((p) => p.aws === "") : undefined) ?? produced[i];
    const neutral = imported.artifactNames.get(o) ?? neutralName(o, "artifact");
    st.artifactOwner.set(o, neutral);
    job.produces.push({ name: neutral, paths: spec && spec.paths.length ? spec.paths : ["**"] });
  });
  const m = imported.meta;
  if (m?.matrix && m.cell) {
    const key = `${m.job}\u0000${JSON.stringify(m.matrix)}`;
    if (folded.get(key)) return undefined;
    folded.set(key, { job, meta: m });
  }
  return { job, imported };
}

/** A CodeBuild action through its project's inline buildspec; undefined when there is none (reported). */
function readCodeBuildAction(cx: DeclarationContext, st: JobsState, a: ActionDeclaration, { ap, irJob }: ActionAt): ImportedJob | undefined {
  const { map, report, inp } = cx;
  const cfg = actionConfig(a);
  const pname = str(cfg.ProjectName);
  const pr = inp.projects.get(pname);
  const inline = pr && typeof pr.project.source?.buildspec === "string" && /\bphases\b|\bversion\b/.test(pr.project.source.buildspec);
  // A buildspec read from the repository: the file given at the path the project names.
  const file = pr && !inline ? buildspecFileFor(pr.project.source?.buildspec, inp.buildspecFiles) : undefined;
  const buildspec = inline ? (pr.project.source!.buildspec as string) : file?.text;
  if (!pr || buildspec === undefined) {
    report(
      "PG-AWS-IMPORT-PROJECT-MISSING",
      map,
      ap,
      pr
        ? `project ${pname} reads its buildspec from the repository; the job keeps the action as native.aws`
        : `CodeBuild project ${JSON.stringify(pname)} was not given (pass the batch-get-projects output too); the job keeps the action as native.aws`,
      irJob,
    );
    return undefined;
  }
  let actionEnv: { name: string; value: string; type?: string }[] = [];
  try {
    const parsed = cfg.EnvironmentVariables !== undefined ? JSON.parse(str(cfg.EnvironmentVariables)) : [];
    if (Array.isArray(parsed)) actionEnv = parsed.filter(isObject).map((e) => ({ name: str(e.name), value: str(e.value), type: str(e.type) }));
  } catch {
    report("PG-AWS-IMPORT-LOSSY", map, ap, "the action's EnvironmentVariables is not JSON; dropped", irJob);
  }
  const imported = importJob(
    { report, map: pr.map, ptr: pr.ptr, irPath: irJob, variables: st.varNames, secrets: st.ir.secrets },
    str(a.name),
    pr.project,
    buildspec,
    actionEnv,
  );
  cx.sm.set(irJob, map, ap);
  if (file) cx.sm.set(`${irJob}/steps`, file.map, "");
  else cx.sm.set(`${irJob}/steps`, pr.map, `${pr.ptr}/${inp.pascal ? "Source/BuildSpec" : "source/buildspec"}`);
  if (pr.project.serviceRole && str(pr.project.serviceRole) !== st.roleArn && st.codebuildRole === undefined) {
    st.codebuildRole = str(pr.project.serviceRole);
    cx.sm.set("/targets/aws/codebuildRoleArn", pr.map, `${pr.ptr}/${inp.pascal ? "ServiceRole" : "serviceRole"}`);
  }
  keepActionSettings(imported.job, a);
  return imported;
}

/** Input artifacts → consumes (source artifacts are the checkout; unknown ones are reported). */
function linkInputs(cx: DeclarationContext, st: JobsState, job: JobIR, a: ActionDeclaration, imported: boolean, { ap, irJob }: ActionAt): void {
  for (const i of (a.inputArtifacts ?? []).map((x) => str(x?.name))) {
    if (st.sourceArtifacts.has(i)) continue;
    const n = st.artifactOwner.get(i) ?? st.artifactOwner.get(artifactName(i));
    if (n) {
      if (!job.consumes.includes(n)) job.consumes.push(n);
    } else if (imported) cx.report("PG-AWS-IMPORT-LOSSY", cx.map, ap, `input artifact ${i} is not produced by any imported job; dropped from consumes`, irJob);
    else cx.report("PG-AWS-IMPORT-LOSSY", cx.map, ap, `input artifact ${i} is not produced by an earlier action: on AWS it will be the source artifact`, irJob);
  }
}
