/**
 * Runs of YAML pipelines: the Pipelines API (`POST pipelines/{id}/runs` with templateParameters,
 * variables and the branch; `GET pipelines/{id}/runs[/{runId}]`) and the Build API's view of the
 * same runs (`GET build/builds`, `GET build/builds/{id}`, `PATCH build/builds/{id}` to cancel).
 * A run reads the pipeline YAML from the definition's Azure Repos repository at the branch's head,
 * as the service does; the YAML of a GitHub or Bitbucket repository, which the emulator cannot
 * reach, from the folder it was given for them (`pipeglot emulate`: the folder it started in).
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve, sep } from "node:path";
import { isObject, type Json, type JsonObject } from "../core/json.js";
import type { EmulatorRequest, EmulatorResponse } from "../core/server.js";
import { definitionById } from "./definitions.js";
import { AzureError, badRequest, notFound } from "./errors.js";
import { blobId, normalizePath, refName, resolveVersion } from "./git.js";
import { EMULATOR_USER, projectRef, reply, type Ctx, type Definition, type Project } from "./model.js";
import { findRepo } from "./repositories.js";
import { cancelRun } from "./run-advance.js";
import type { Run, RunJob, RunStage } from "./run-model.js";
import { planRun, type PlannedJob, type PlannedStage } from "./run-plan.js";
import { advanceRuns, runsOf, runWorld } from "./run-world.js";
import type { AzureStore } from "./store.js";

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

export function findRun(store: AzureStore, p: Project, id: number): Run {
  advanceRuns(store, p);
  const run = runsOf(p).get(id);
  if (!run) throw notFound("BuildNotFoundException", `Build ${id} was not found.`, "Build");
  return run;
}

interface RunYaml {
  text: string;
  path: string;
  branch: string;
  commit: string;
  repoId: string;
}

/** GitHub or Bitbucket, which the emulator cannot reach: the file under the configured folder (a working tree). */
function externalYaml(store: AzureStore, repo: JsonObject, path: string, branch: string): RunYaml {
  const root = store.opts.externalRepositoryRoot;
  const name = String(repo.name ?? repo.id ?? "");
  if (root === undefined)
    throw badRequest(
      `The emulator cannot read ${String(repo.type)} repository ${name}: start it with a folder to read such repositories from.`,
      "ArgumentException",
      "Build",
    );
  const file = resolve(root, `.${path}`);
  const text = file.startsWith(resolve(root) + sep) && existsSync(file) ? readFileSync(file, "utf8") : undefined;
  if (text === undefined)
    throw badRequest(
      `File ${path} not found in repository ${name} branch ${branch} (the emulator reads it from ${root}).`,
      "PipelineValidationException",
      "Build",
    );
  return { text, path, branch, commit: blobId(text), repoId: String(repo.id ?? name) };
}

/** The YAML the run reads: the definition's repository at the branch's head. */
function readYaml(store: AzureStore, p: Project, d: Definition, branch: string | undefined): RunYaml {
  const process = isObject(d.body.process) ? d.body.process : {};
  const repo = isObject(d.body.repository) ? d.body.repository : {};
  if (process.type !== 2) throw badRequest(`Pipeline ${d.id} is not a YAML pipeline.`, "ArgumentException", "Build");
  const path = normalizePath(String(process.yamlFilename));
  const wanted = branch ?? (typeof repo.defaultBranch === "string" ? repo.defaultBranch : undefined);
  if (String(repo.type).toLowerCase() !== "tfsgit") return externalYaml(store, repo, path, refName(wanted ?? "main"));
  const r = findRepo(p, String(repo.id ?? repo.name ?? ""));
  const ref = refName(wanted ?? r.defaultBranch);
  const commit = resolveVersion(r, ref.replace(/^refs\/heads\//, ""), "branch");
  if (!commit) throw badRequest(`Could not find branch ${ref} in repository ${r.name}.`, "ArgumentException", "Build");
  const text = commit.files.get(path);
  if (text === undefined)
    throw badRequest(`File ${path} not found in repository ${r.name} branch ${ref} version ${commit.commitId}.`, "PipelineValidationException", "Build");
  return { text, path, branch: ref, commit: commit.commitId, repoId: r.id };
}

function runJob(store: AzureStore, j: PlannedJob): RunJob {
  return { ...j, state: "pending", phaseId: store.ids.uuid(), jobId: store.ids.uuid() };
}

function runStage(store: AzureStore, s: PlannedStage): RunStage {
  return { ...s, jobs: s.jobs.map((j) => runJob(store, j)), state: "pending", recordId: store.ids.uuid(), approvals: [] };
}

function stringMap(v: Json | undefined, what: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw badRequest(`${what} must be an object.`, "ArgumentException", "Build");
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, isObject(x) && "value" in x ? String(x.value) : String(x)]));
}

function buildNumber(p: Project, d: Definition, now: number): string {
  const day = new Date(now).toISOString().slice(0, 10).replace(/-/g, "");
  const same = [...runsOf(p).values()].filter((r) => r.definitionId === d.id && r.buildNumber.startsWith(`${day}.`)).length;
  return `${day}.${same + 1}`;
}

/** POST pipelines/{id}/runs: queue a run of the definition. */
export function runPipeline(store: AzureStore, p: Project, definitionId: number, body: JsonObject, ctx: Ctx): JsonObject {
  const d = definitionById(p, definitionId);
  const resources = isObject(body.resources) ? body.resources : {};
  const repos = isObject(resources.repositories) ? resources.repositories : {};
  const self = isObject(repos.self) ? repos.self : {};
  const y = readYaml(store, p, d, typeof self.refName === "string" ? self.refName : undefined);
  const plan = planRun(y.text, y.path);
  const templateParameters = stringMap(body.templateParameters, "templateParameters");
  for (const k of Object.keys(templateParameters))
    if (!plan.parameters.has(k)) throw badRequest(`Unexpected parameter '${k}'`, "PipelineValidationException", "Build");
  const variables = Object.fromEntries(
    Object.entries(isObject(body.variables) ? body.variables : {}).map(([k, v]) => [
      k,
      { value: isObject(v) ? String(v.value ?? "") : String(v), ...(isObject(v) && v.isSecret === true ? { isSecret: true } : {}) },
    ]),
  );
  const now = store.opts.now().getTime();
  advanceRuns(store, p);
  const run: Run = {
    id: store.nextBuildId++,
    definitionId: d.id,
    definitionName: String(d.body.name),
    buildNumber: buildNumber(p, d, now),
    status: "notStarted",
    queueTime: now,
    reason: "manual",
    sourceBranch: y.branch,
    sourceVersion: y.commit,
    repositoryId: y.repoId,
    templateParameters: Object.fromEntries([...plan.parameters].map(([k, v]) => [k, templateParameters[k] ?? v ?? ""])),
    variables,
    stages: plan.stages.map((s) => runStage(store, s)),
    t: now,
    timelineId: store.ids.uuid(),
    planId: store.ids.uuid(),
  };
  runsOf(p).set(run.id, run);
  return runJson(p, d, run, ctx);
}

function pipelineRef(p: Project, d: Definition, ctx: Ctx): JsonObject {
  return {
    url: `${ctx.orgUrl}/${p.id}/_apis/pipelines/${d.id}?revision=${String(d.body.revision)}`,
    id: d.id,
    revision: d.body.revision ?? 1,
    name: d.body.name ?? "",
    folder: d.body.path ?? "\\",
  };
}

/** A run as the Pipelines API answers it (secret variable values withheld). */
export function runJson(p: Project, d: Definition, run: Run, ctx: Ctx): JsonObject {
  const url = `${ctx.orgUrl}/${p.id}/_apis/pipelines/${d.id}/runs/${run.id}`;
  const variables: JsonObject = {};
  for (const [k, v] of Object.entries(run.variables)) variables[k] = v.isSecret ? { isSecret: true } : { value: v.value };
  return {
    _links: {
      self: { href: url },
      web: { href: `${ctx.orgUrl}/${p.id}/_build/results?buildId=${run.id}` },
      pipeline: { href: pipelineRef(p, d, ctx).url as string },
    },
    pipeline: pipelineRef(p, d, ctx),
    state: run.status === "completed" ? "completed" : "inProgress",
    ...(run.result ? { result: run.result } : {}),
    createdDate: iso(run.queueTime)!,
    ...(run.finishTime !== undefined ? { finishedDate: iso(run.finishTime)! } : {}),
    url,
    resources: {
      repositories: { self: { repository: { id: run.repositoryId, type: "azureReposGit" }, refName: run.sourceBranch, version: run.sourceVersion } },
    },
    templateParameters: run.templateParameters,
    ...(Object.keys(variables).length ? { variables } : {}),
    id: run.id,
    name: run.buildNumber,
  };
}

/** A run as the Build API answers it. */
export function buildJson(p: Project, run: Run, ctx: Ctx): JsonObject {
  const url = `${ctx.orgUrl}/${p.id}/_apis/build/Builds/${run.id}`;
  const d = p.definitions.get(run.definitionId);
  const times: JsonObject = { queueTime: iso(run.queueTime)! };
  if (run.startTime !== undefined) times.startTime = iso(run.startTime)!;
  if (run.finishTime !== undefined) times.finishTime = iso(run.finishTime)!;
  return {
    _links: { self: { href: url }, web: { href: `${ctx.orgUrl}/${p.id}/_build/results?buildId=${run.id}` }, timeline: { href: `${url}/Timeline` } },
    properties: {},
    tags: [],
    plans: [{ planId: run.planId }],
    id: run.id,
    buildNumber: run.buildNumber,
    status: run.status,
    ...(run.result ? { result: run.result } : {}),
    ...times,
    url,
    definition: {
      id: run.definitionId,
      name: run.definitionName,
      path: d?.body.path ?? "\\",
      type: "build",
      queueStatus: "enabled",
      revision: d?.body.revision ?? 1,
      project: projectRef(p),
    },
    project: projectRef(p, ctx),
    uri: `vstfs:///Build/Build/${run.id}`,
    sourceBranch: run.sourceBranch,
    sourceVersion: run.sourceVersion,
    queue: { id: 1, name: "Azure Pipelines" },
    priority: "normal",
    reason: run.reason,
    requestedFor: EMULATOR_USER,
    requestedBy: EMULATOR_USER,
    lastChangedDate: iso(run.finishTime ?? run.t)!,
    orchestrationPlan: { planId: run.planId },
    repository: { id: run.repositoryId, type: "TfsGit" },
    templateParameters: run.templateParameters,
    retainedByRelease: false,
  };
}

/** GET pipelines/{id}/runs: newest first. */
export function listRuns(store: AzureStore, p: Project, definitionId: number, ctx: Ctx): JsonObject {
  const d = definitionById(p, definitionId);
  advanceRuns(store, p);
  const value = [...runsOf(p).values()]
    .filter((r) => r.definitionId === d.id)
    .sort((a, b) => b.id - a.id)
    .map((r) => runJson(p, d, r, ctx));
  return { count: value.length, value };
}

export function getRun(store: AzureStore, p: Project, definitionId: number, runId: number, ctx: Ctx): JsonObject {
  const d = definitionById(p, definitionId);
  const run = findRun(store, p, runId);
  if (run.definitionId !== d.id) throw notFound("PipelineRunNotFoundException", `Pipeline run ${runId} not found in pipeline ${definitionId}.`, "Build");
  return runJson(p, d, run, ctx);
}

/** GET build/builds: filters definitions, buildIds, statusFilter, branchName; $top; newest first. */
export function listBuilds(store: AzureStore, p: Project, req: EmulatorRequest, ctx: Ctx): EmulatorResponse {
  advanceRuns(store, p);
  const q = req.query;
  const ids = (name: string) => (q.get(name) ? new Set(q.get(name)!.split(",").map(Number)) : undefined);
  const defs = ids("definitions");
  const builds = ids("buildIds");
  const status = q.get("statusFilter");
  const branch = q.get("branchName");
  let list = [...runsOf(p).values()].filter(
    (r) =>
      (!defs || defs.has(r.definitionId)) &&
      (!builds || builds.has(r.id)) &&
      (!status || status === "all" || status.split(",").includes(r.status)) &&
      (!branch || r.sourceBranch === branch),
  );
  list = list.sort((a, b) => (q.get("queryOrder") === "queueTimeAscending" ? a.id - b.id : b.id - a.id));
  const top = Number(q.get("$top") ?? 0) || list.length;
  const value = list.slice(0, top).map((r) => buildJson(p, r, ctx));
  return reply(200, { count: value.length, value });
}

/** PATCH build/builds/{id}: `status: cancelling` cancels the run (the only update the emulator makes). */
export function updateBuild(store: AzureStore, p: Project, id: number, body: JsonObject, ctx: Ctx): JsonObject {
  const run = findRun(store, p, id);
  if (body.status !== "cancelling" && body.status !== 4)
    throw badRequest("The emulator updates a build only to cancel it (status: cancelling).", "ArgumentException", "Build");
  if (run.status === "completed") throw new AzureError(400, "InvalidBuildStatusException", `Build ${run.buildNumber} has already completed.`, "Build");
  cancelRun(run, store.opts.now().getTime(), runWorld(store, p));
  return buildJson(p, run, ctx);
}
