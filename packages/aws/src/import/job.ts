/**
 * A CodeBuild project and/or its buildspec → a neutral job. Reads the `# pipeglot:` header when
 * present (neutral names, needs, matrix, step options; commands are verified against it).
 */
import { DEFAULT_IMAGE, type JobIR, type RunnerSize, type SecretIR, type SourceMap } from "@pipeglot/schema";
import type { Buildspec, CreateProjectInput } from "../native/codebuild.js";
import {
  BUILDSPEC_SHELL,
  GIT_BRANCH_VALUE,
  GIT_BRANCH_VAR,
  GIT_COMMIT_VALUE,
  GIT_COMMIT_VAR,
  fromCodeBuildGlob,
  readHeader,
  type JobMeta,
  type RefKind,
} from "../encoding.js";
import { secretRef } from "../compile/secrets.js";
import { envName, neutralName } from "../names.js";
import type { ImportReport } from "./parse.js";
import { readBuildspec } from "./buildspec-text.js";
import { importSteps } from "./steps.js";
import { isObject } from "@pipeglot/core";

export interface JobContext {
  report: ImportReport;
  map: SourceMap;
  /** Native pointer of the project or buildspec (for diagnostics). */
  ptr: string;
  irPath: string;
  /** Declared pipeline variables (only these become ${{ vars.X }}). */
  variables: ReadonlySet<string>;
  /** Secrets found so far (name → reference); new ones are added. */
  secrets: Record<string, SecretIR>;
}

export interface ImportedJob {
  job: JobIR;
  meta?: JobMeta;
  /** AWS artifact name → neutral name, for produced artifacts. */
  artifactNames: Map<string, string>;
}

const RUNNERS: Record<string, RunnerSize> = {
  BUILD_GENERAL1_SMALL: "small",
  BUILD_GENERAL1_MEDIUM: "medium",
  BUILD_GENERAL1_LARGE: "large",
  BUILD_GENERAL1_XLARGE: "xlarge",
};

function addSecret(cx: JobContext, name: string, ref: string): string {
  let n = envName(name);
  let i = 2;
  while (cx.secrets[n] && cx.secrets[n]!.aws !== ref) n = `${envName(name)}_${i++}`;
  cx.secrets[n] = { aws: ref };
  return n;
}

/** Decode an action/project env value: #{variables.X} and the source variables become references. */
function decodeActionValue(value: string, cx: JobContext): string {
  let out = value.split("${{").join("$${{");
  out = out.replace(/#\{variables\.([A-Za-z0-9@_-]+)\}/g, (m, n: string) => (cx.variables.has(n) ? `\${{ vars.${n} }}` : m));
  out = out.split(GIT_COMMIT_VALUE).join("${{ git.commit }}").split(GIT_BRANCH_VALUE).join("${{ git.branch }}");
  return out;
}

export function importJob(
  cx: JobContext,
  name: string,
  project: CreateProjectInput | undefined,
  buildspecText: string | undefined,
  actionEnv: { name: string; value: string; type?: string }[],
): ImportedJob {
  const meta = buildspecText ? readHeader(buildspecText) : undefined;
  const spec = buildspecText !== undefined ? readBuildspec(cx, buildspecText, project !== undefined) : undefined;
  const job: JobIR = {
    id: "",
    name: neutralName(meta?.job ?? name, "job"),
    needs: meta?.needs ? [...meta.needs] : [],
    image: meta?.image ?? (typeof project?.environment?.image === "string" ? project.environment.image : DEFAULT_IMAGE),
    runner: "small",
    env: {},
    steps: [],
    produces: [],
    consumes: [],
    retries: 0,
  };
  if (!project)
    cx.report("PG-AWS-IMPORT-LOSSY", cx.map, cx.ptr, `no CodeBuild project for job ${job.name}: its image is unknown (${DEFAULT_IMAGE} is used)`, cx.irPath);
  if (project) readProject(cx, job, project, meta);
  if (meta?.environment !== undefined) job.environment = meta.environment;
  if (meta?.matrix) job.matrix = structuredClone(meta.matrix);
  const refs = actionEnvRefs(cx, job, actionEnv, meta);
  if (spec) readSpec(cx, job, spec, meta, refs);
  const artifactNames = new Map(Object.entries(meta?.artifacts ?? {}));
  return { job, ...(meta ? { meta } : {}), artifactNames };
}

/** The project's runner, description, timeout, retries, environment tag and env variables. */
function readProject(cx: JobContext, job: JobIR, project: CreateProjectInput, meta: JobMeta | undefined): void {
  const ct = String(project.environment?.computeType ?? "BUILD_GENERAL1_SMALL");
  const r = RUNNERS[ct];
  if (r) job.runner = r;
  else {
    job.runner = /2XLARGE|XLARGE/.test(ct) ? "xlarge" : /LARGE/.test(ct) ? "large" : /MEDIUM|4GB|8GB/.test(ct) ? "medium" : "small";
    cx.report("PG-AWS-IMPORT-LOSSY", cx.map, `${cx.ptr}/environment`, `compute type ${ct} read as runner ${job.runner}`, cx.irPath);
  }
  if (typeof project.description === "string" && project.description !== "") job.description = project.description;
  const t = Number(project.timeoutInMinutes);
  if (project.timeoutInMinutes !== undefined && Number.isFinite(t)) job.timeoutSeconds = t * 60;
  const ar = Number(project.autoRetryLimit);
  if (project.autoRetryLimit !== undefined && Number.isFinite(ar)) job.retries = Math.min(10, Math.max(0, ar));
  const envTag = project.tags?.find((x) => isObject(x) && x.key === "pipeglot:environment");
  if (envTag && !meta?.environment) job.environment = String(envTag.value);
  for (const ev of project.environment?.environmentVariables ?? []) {
    if (!isObject(ev)) continue;
    const k = envName(String(ev.name));
    const v = String(ev.value ?? "");
    if (ev.type === "SECRETS_MANAGER" || ev.type === "PARAMETER_STORE") {
      const s = addSecret(cx, k, ev.type === "SECRETS_MANAGER" ? secretRef("secrets-manager", v) : secretRef("parameter-store", v));
      job.env[k] = `\${{ secrets.${s} }}`;
    } else job.env[k] = v.split("${{").join("$${{");
  }
}

/**
 * The action's env: the names pipeglot injected for command references (matrix values, git
 * commit/branch, variables) become references; other values are job env (secrets declared).
 */
function actionEnvRefs(
  cx: JobContext,
  job: JobIR,
  actionEnv: { name: string; value: string; type?: string }[],
  meta: JobMeta | undefined,
): Map<string, RefKind> {
  const refs = new Map<string, RefKind>();
  for (const k of Object.keys(meta?.cell ?? {})) refs.set(k, "matrix");
  const actionEnvKeys = new Set(meta?.actionEnv ?? []);
  for (const e of actionEnv) {
    if (meta && !actionEnvKeys.has(e.name)) {
      if (e.name === GIT_COMMIT_VAR && e.value === GIT_COMMIT_VALUE) refs.set(e.name, "git.commit");
      else if (e.name === GIT_BRANCH_VAR && e.value === GIT_BRANCH_VALUE) refs.set(e.name, "git.branch");
      else if (e.value === `#{variables.${e.name}}` && cx.variables.has(e.name)) refs.set(e.name, "var");
      else job.env[envName(e.name)] = decodeActionValue(e.value, cx);
      continue;
    }
    if (e.type === "SECRETS_MANAGER" || e.type === "PARAMETER_STORE") {
      const s = addSecret(cx, e.name, e.type === "SECRETS_MANAGER" ? secretRef("secrets-manager", e.value) : secretRef("parameter-store", e.value));
      job.env[envName(e.name)] = `\${{ secrets.${s} }}`;
    } else job.env[envName(e.name)] = decodeActionValue(e.value, cx);
  }
  return refs;
}

/** The buildspec: env, steps, artifacts; its keys without a neutral home → native.aws.buildspec. */
function readSpec(cx: JobContext, job: JobIR, spec: Buildspec, meta: JobMeta | undefined, refs: Map<string, RefKind>): void {
  const native: Record<string, unknown> = {};
  const nativeEnv = readSpecEnv(cx, job, spec, meta, refs);
  if (Object.keys(nativeEnv).length) native.env = nativeEnv;
  const nativePhases = importSteps(cx, job, spec, meta, refs);
  if (nativePhases) native.phases = nativePhases;
  // Artifacts.
  const arts = isObject(spec.artifacts) ? spec.artifacts : undefined;
  const files = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : []).map(fromCodeBuildGlob);
  const produced: { aws: string; paths: string[] }[] = [];
  if (arts) {
    if (arts.files !== undefined) produced.push({ aws: "", paths: files(arts.files) });
    const sec = isObject(arts["secondary-artifacts"]) ? (arts["secondary-artifacts"] as Record<string, unknown>) : {};
    for (const [k, v] of Object.entries(sec)) if (isObject(v)) produced.push({ aws: k, paths: files(v.files) });
    const rest = Object.fromEntries(Object.entries(arts).filter(([k]) => k !== "files" && k !== "secondary-artifacts"));
    if (Object.keys(rest).length) native.artifacts = rest;
  }
  (job as JobIR & { _produced?: typeof produced })._produced = produced;
  for (const k of Object.keys(spec)) if (!["version", "env", "phases", "artifacts"].includes(k)) native[k] = spec[k];
  if (Object.keys(native).length) {
    cx.report(
      "PG-AWS-IMPORT-BUILDSPEC-KEY",
      cx.map,
      cx.ptr,
      `buildspec settings ${Object.keys(native)
        .map((k) => (k === "phases" ? `phases.${Object.keys(native.phases as object).join("/")}` : k))
        .join(", ")} have no neutral equivalent; kept as native.aws.buildspec`,
      cx.irPath,
    );
    job.native = { aws: { buildspec: native } };
  }
}

/** env.variables and the secret stores → job env and secrets; returns env's other keys. */
function readSpecEnv(cx: JobContext, job: JobIR, spec: Buildspec, meta: JobMeta | undefined, refs: Map<string, RefKind>): Record<string, unknown> {
  const cellKeys = new Set(Object.keys(meta?.cell ?? {}));
  const env: Record<string, unknown> = isObject(spec.env) ? (spec.env as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(isObject(env.variables) ? env.variables : {})) {
    if (cellKeys.has(k)) continue;
    job.env[envName(k)] = String(v ?? "")
      .split("${{")
      .join("$${{");
  }
  const secretEnv = meta ? (meta.secretEnv ?? {}) : undefined;
  for (const store of ["secrets-manager", "parameter-store"] as const) {
    for (const [k, v] of Object.entries(isObject(env[store]) ? (env[store] as Record<string, unknown>) : {})) {
      const ref = secretRef(store, String(v));
      if (secretEnv && k in secretEnv) {
        const s = secretEnv[k]!;
        cx.secrets[s] = { aws: ref };
        job.env[k] = `\${{ secrets.${s} }}`;
        if (s === k) refs.set(k, "secret");
      } else if (secretEnv) {
        cx.secrets[k] = { aws: ref };
        refs.set(k, "secret");
      } else {
        const s = addSecret(cx, k, ref);
        job.env[envName(k)] = `\${{ secrets.${s} }}`;
        if (s === k) refs.set(k, "secret");
      }
    }
  }
  const nativeEnv: Record<string, unknown> = {};
  for (const k of Object.keys(env)) if (!["variables", "secrets-manager", "parameter-store"].includes(k)) nativeEnv[k] = env[k];
  // pipeglot's own shell setting (compile writes it for every job).
  if (meta && nativeEnv.shell === BUILDSPEC_SHELL) delete nativeEnv.shell;
  return nativeEnv;
}
