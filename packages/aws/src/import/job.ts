/**
 * A CodeBuild project and/or its buildspec → a neutral job. Reads the `# pipeglot:` header when
 * present (neutral names, needs, matrix, step options; commands are verified against it).
 */
import { DEFAULT_IMAGE, type JobIR, type RunnerSize, type SecretIR, type SourceMap, type StepIR } from "@pipeglot/schema";
import { PHASES, type Buildspec, type CreateProjectInput } from "../native/codebuild.js";
import { BUILDSPEC_SHELL, NO_STEPS, GIT_BRANCH_VALUE, GIT_BRANCH_VAR, GIT_COMMIT_VALUE, GIT_COMMIT_VAR, decodeCommand, fromCodeBuildGlob, readHeader, unwrapCommand, type JobMeta, type RefKind, type StepMeta } from "../encoding.js";
import { secretRef } from "../compile/secrets.js";
import { envName, neutralName, registry, ACTION_NAME } from "../names.js";
import type { ImportReport } from "./parse.js";
import { readBuildspec } from "./buildspec-text.js";
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
  if (!project) cx.report("PG-AWS-IMPORT-LOSSY", cx.map, cx.ptr, `no CodeBuild project for job ${job.name}: its image is unknown (${DEFAULT_IMAGE} is used)`, cx.irPath);
  if (project) {
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
  if (meta?.environment !== undefined) job.environment = meta.environment;
  if (meta?.matrix) job.matrix = structuredClone(meta.matrix);

  // Names injected for command references.
  const refs = new Map<string, RefKind>();
  const cellKeys = new Set(Object.keys(meta?.cell ?? {}));
  for (const k of cellKeys) refs.set(k, "matrix");
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

  const native: Record<string, unknown> = {};
  if (spec) {
    const env: Record<string, unknown> = isObject(spec.env) ? (spec.env as Record<string, unknown>) : {};
    for (const [k, v] of Object.entries(isObject(env.variables) ? env.variables : {})) {
      if (cellKeys.has(k)) continue;
      job.env[envName(k)] = String(v ?? "").split("${{").join("$${{");
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
    if (Object.keys(nativeEnv).length) native.env = nativeEnv;

    // Commands, in phase order; `finally` commands run always.
    const cmds: { text: string; always: boolean; ptr: string }[] = [];
    const phases: Record<string, unknown> = isObject(spec.phases) ? (spec.phases as Record<string, unknown>) : {};
    const nativePhases: Record<string, unknown> = {};
    for (const ph of Object.keys(phases)) {
      const p = phases[ph];
      if (!isObject(p)) continue;
      for (const part of ["commands", "finally"] as const) {
        const list = Array.isArray(p[part]) ? (p[part] as unknown[]) : typeof p[part] === "string" ? [p[part]] : [];
        list.forEach((c, i) => {
          if (c === null || c === undefined) return;
          cmds.push({ text: typeof c === "string" ? c : JSON.stringify(c), always: part === "finally", ptr: `/phases/${ph}/${part}/${i}` });
        });
      }
      const rest = Object.fromEntries(Object.entries(p).filter(([k]) => k !== "commands" && k !== "finally"));
      if (Object.keys(rest).length) nativePhases[ph] = rest;
    }
    const order = (ph: string) => (PHASES as readonly string[]).indexOf(ph);
    cmds.sort((a, b) => order(a.ptr.split("/")[2]!) - order(b.ptr.split("/")[2]!));
    if (Object.keys(nativePhases).length) native.phases = nativePhases;
    // Compile's filler for a job without commands (pipeglot's header records no steps).
    if (meta && meta.steps.length === 0 && cmds.length === 1 && cmds[0]!.text === NO_STEPS) cmds.pop();
    // Compile's own first commands (copying the consumed artifacts into the primary folder) are no steps.
    if (meta?.setup) cmds.splice(0, meta.setup);
    const useMeta = meta && meta.steps.length === cmds.length;
    const stepNames = registry({ ...ACTION_NAME, sanitize: (n) => neutralName(n, "step") });
    cmds.forEach((c, n) => {
      let m: StepMeta = useMeta ? meta!.steps[n]! : {};
      let text = c.text;
      if (useMeta) {
        const inner = unwrapCommand(c.text, m, !!meta!.isolated);
        if (inner === undefined) {
          cx.report("PG-AWS-IMPORT-STEP-EDITED", cx.map, cx.ptr, `command ${n + 1} of job ${job.name} does not match its recorded step options; imported as a plain step`, cx.irPath);
          m = m.name !== undefined ? { name: m.name } : {};
        } else text = inner;
      }
      const step: StepIR = { id: `step-${n + 1}`, shell: m.shell ?? "bash", env: {}, continueOnError: !!m.continueOnError, retries: m.retries ?? 0 };
      if (m.name !== undefined) {
        step.name = stepNames.take(m.name);
        step.id = step.name;
      }
      step.run = decodeCommand(text, refs);
      if (m.workingDirectory !== undefined) step.workingDirectory = m.workingDirectory;
      if (m.env) step.env = { ...m.env };
      if (m.timeout !== undefined) step.timeoutSeconds = m.timeout;
      const when = m.when ?? (c.always && !useMeta ? "always" : undefined);
      if (when || m.branches || m.variables) step.condition = { status: when ?? "success", branches: [...(m.branches ?? [])], variables: { ...(m.variables ?? {}) } };
      job.steps.push(step);
    });

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
      cx.report("PG-AWS-IMPORT-BUILDSPEC-KEY", cx.map, cx.ptr, `buildspec settings ${Object.keys(native).map((k) => (k === "phases" ? `phases.${Object.keys(native.phases as object).join("/")}` : k)).join(", ")} have no neutral equivalent; kept as native.aws.buildspec`, cx.irPath);
      job.native = { aws: { buildspec: native } };
    }
  }
  const artifactNames = new Map(Object.entries(meta?.artifacts ?? {}));
  return { job, ...(meta ? { meta } : {}), artifactNames };
}
