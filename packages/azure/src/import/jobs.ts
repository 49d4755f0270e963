/** Jobs: regular, container and deployment jobs; matrix; job variables and settings kept as native. */
import { DEFAULT_IMAGE, type JobIR } from "@pipeglot/schema";
import { isObject } from "@pipeglot/core";
import { MATRIX_CELL_VAR, MATRIX_IMAGE_VAR } from "../compile/jobs.js";
import { neutralName, sanitizeId } from "../names.js";
import { readVariables } from "../native/pipeline.js";
import { importCondition } from "./conditions.js";
import { mark, report, type ImportCtx } from "./context.js";
import { importSteps } from "./steps.js";
import { toStr } from "./template/expr.js";
import { isTemplateRef } from "./templates.js";
import { macroPieces, neutralText, neutralVar } from "./text.js";

type Raw = Record<string, unknown>;

export function jobName(raw: Raw, id: string): string {
  const d = typeof raw.displayName === "string" ? raw.displayName : undefined;
  if (d !== undefined && neutralName(d) === d && id.toLowerCase().startsWith(sanitizeId(d).toLowerCase())) return d;
  return neutralName(id) ?? "job";
}

/** The matrix of a job; returns the matrix keys and, when the image follows a matrix value, the image template. */
function importMatrix(ctx: ImportCtx, job: JobIR, strategy: Raw, id: string, ptr: string, native: Raw): { keys: Set<string>; imageTemplate?: string } {
  const cells = Object.entries(strategy.matrix as Raw).filter(([, v]) => isObject(v)) as [string, Raw][];
  const keys: string[] = [];
  for (const [, c] of cells) for (const k of Object.keys(c)) if (k !== MATRIX_IMAGE_VAR && k !== MATRIX_CELL_VAR && !keys.includes(k)) keys.push(k);
  const values: Record<string, string[]> = Object.fromEntries(keys.map((k) => [k, [] as string[]]));
  for (const [, c] of cells) for (const k of keys) if (c[k] !== undefined && !values[k]!.includes(toStr(c[k]))) values[k]!.push(toStr(c[k]));
  const full =
    keys.length > 0 && cells.every(([, c]) => keys.every((k) => c[k] !== undefined)) && cells.length === keys.reduce((n, k) => n * values[k]!.length, 1);
  if (strategy.maxParallel !== undefined) native.strategy = { maxParallel: strategy.maxParallel };
  if (!full) {
    job.matrix = { cell: cells.map(([n]) => n) };
    report(
      ctx,
      "PG-ADO-IMPORT-MATRIX",
      `matrix cells of job ${id} are not every combination of their values; imported as one axis over the cell names`,
      strategy,
      `${ptr}/matrix`,
    );
    return { keys: new Set() };
  }
  job.matrix = values;
  const images = cells.map(([, c]) => (c[MATRIX_IMAGE_VAR] === undefined ? undefined : toStr(c[MATRIX_IMAGE_VAR])));
  if (!images.every((x) => x !== undefined)) return { keys: new Set(keys) };
  for (const k of keys) {
    const v0 = toStr(cells[0]![1][k]);
    if (!v0 || !images[0]!.includes(v0)) continue;
    const tpl = images[0]!.split(v0).join(`\${{ matrix.${k} }}`);
    if (cells.every(([, c], i) => tpl.split(`\${{ matrix.${k} }}`).join(toStr(c[k])) === images[i])) return { keys: new Set(keys), imageTemplate: tpl };
  }
  return { keys: new Set(keys) };
}

function importImage(ctx: ImportCtx, job: JobIR, raw: Raw, imageTemplate: string | undefined, ptr: string, native: Raw): void {
  const c = raw.container;
  if (typeof c === "string") {
    if (c === `$[ variables['${MATRIX_IMAGE_VAR}'] ]` && imageTemplate) job.image = imageTemplate;
    else if (/^\$\[/.test(c)) {
      native.container = c;
      report(ctx, "PG-ADO-IMPORT-NATIVE-KEY", `container ${c} is a runtime expression; kept as native.azure`, raw, `${ptr}/image`);
    } else job.image = c;
  } else if (isObject(c) && typeof c.image === "string") {
    job.image = c.image;
    const rest = Object.keys(c).filter((k) => k !== "image");
    if (rest.length) {
      native.container = c;
      report(ctx, "PG-ADO-IMPORT-NATIVE-KEY", `container settings ${rest.join(", ")} kept as native.azure`, c, `${ptr}/image`);
    }
  } else if (c === undefined) {
    // No container: the steps run on the agent itself. Keep that for a recompile to Azure.
    native.container = null;
  } else native.container = c;
}

/** The steps of a deployment job (its strategy hooks) and its environment. */
function deploymentSteps(ctx: ImportCtx, job: JobIR, raw: Raw, strategy: Raw | undefined, ptr: string, native: Raw): unknown[] {
  const env = raw.environment;
  const envName = typeof env === "string" ? env : isObject(env) && typeof env.name === "string" ? env.name : undefined;
  if (envName !== undefined) job.environment = neutralName(envName.split(".")[0]!) ?? "environment";
  if (isObject(env) && Object.keys(env).some((k) => k !== "name")) {
    native.environment = env;
    report(ctx, "PG-ADO-IMPORT-NATIVE-KEY", "environment resource settings kept as native.azure", env, `${ptr}/environment`);
  } else if (typeof env === "string" && (env.includes(".") || job.environment !== env)) native.environment = env;
  const st = strategy ?? {};
  const kind = Object.keys(st).find((k) => ["runOnce", "rolling", "canary"].includes(k));
  const body = kind && isObject(st[kind]) ? (st[kind] as Raw) : {};
  const steps: unknown[] = [];
  for (const h of ["preDeploy", "deploy", "routeTraffic", "postRouteTraffic"]) {
    const hk = body[h];
    if (isObject(hk) && Array.isArray(hk.steps)) steps.push(...hk.steps);
  }
  if (kind && kind !== "runOnce") report(ctx, "PG-ADO-IMPORT-LOSSY", `deployment strategy ${kind} imported as its steps run once`, st, ptr);
  if (isObject(body.on)) report(ctx, "PG-ADO-IMPORT-LOSSY", "deployment on.success / on.failure hooks dropped", body, ptr);
  return steps;
}

/** Job variables → env; variable groups and templates are kept as native (a recompile writes them back). */
function jobVariables(ctx: ImportCtx, job: JobIR, raw: Raw, scope: ImportCtx["scope"], ptr: string, native: Raw): void {
  const vars = readVariables(raw.variables);
  const folded: string[] = [];
  for (const v of vars) {
    if (!("name" in v)) continue;
    const name = neutralVar(v.name);
    if (name !== v.name) folded.push(v.name);
    job.env[name] = neutralText(macroPieces(toStr(v.value)), scope, []);
  }
  // Azure variables named outside the env-var alphabet are read by tasks under that name: keep them for Azure.
  if (folded.length)
    report(
      ctx,
      "PG-ADO-IMPORT-NAME",
      `job variables ${folded.join(", ")} became env entries ${folded.map(neutralVar).join(", ")}; the job's variables are kept as native.azure for Azure`,
      raw,
      `${ptr}/env`,
    );
  const other = vars.filter((v) => !("name" in v));
  if (!other.length && !folded.length) return;
  native.variables = raw.variables;
  for (const v of other)
    if ("template" in v)
      report(
        ctx,
        "PG-ADO-IMPORT-TEMPLATE-UNREAD",
        `job variables template ${String(v.template)} was not read; the job's variables are kept as native.azure`,
        v,
        `${ptr}/native/azure/variables`,
      );
    else
      report(
        ctx,
        "PG-ADO-IMPORT-NATIVE-KEY",
        `job variable group ${String((v as { group: unknown }).group)} kept as native.azure (other providers: declare its secrets at the root)`,
        raw,
        `${ptr}/native/azure/variables`,
      );
}

/**
 * A job left with no steps: its only steps were the implicit checkout (kept as the native step it
 * was, so that Azure still runs the job), or none survived expansion (a `${{ if }}` that was false):
 * a placeholder step that fails the run says so, on every provider.
 */
function emptyJob(ctx: ImportCtx, job: JobIR, raw: Raw, stepsRaw: unknown[], ptr: string): void {
  if (job.produces.length || job.consumes.length) return;
  const checkout = stepsRaw.find((s) => isObject(s) && s.checkout !== undefined);
  if (checkout) {
    job.steps.push({ id: "step-1", shell: "bash", env: {}, continueOnError: false, retries: 0, native: { azure: structuredClone(checkout) as Raw } });
    report(
      ctx,
      "PG-ADO-IMPORT-STEP-NATIVE",
      `job ${job.name} only checks out the repository; the checkout is kept as a native.azure step`,
      checkout,
      `${ptr}/steps/0`,
    );
    return;
  }
  const text = `pipeglot: job ${job.name} has no steps in the source once templates and expressions are expanded`.replace(/[^A-Za-z0-9 ._:-]/g, "");
  job.steps.push({ id: "no-steps", name: "no-steps", run: `echo '${text}' >&2\nexit 1`, shell: "bash", env: {}, continueOnError: false, retries: 0 });
  report(ctx, "PG-ADO-IMPORT-LOSSY", `job ${job.name} has no steps (a \${{ if }} that was false?); it got a step that fails the run`, raw, `${ptr}/steps`);
}

function jobCondition(ctx: ImportCtx, job: JobIR, raw: Raw, ptr: string, native: Raw): void {
  if (typeof raw.condition !== "string") return;
  const cond = importCondition(raw.condition);
  if (cond) job.condition = cond;
  else {
    native.condition = raw.condition;
    report(ctx, "PG-ADO-IMPORT-CONDITION", `condition ${JSON.stringify(raw.condition)} kept as native.azure.condition`, raw, `${ptr}/condition`);
  }
}

export function importJob(ctx: ImportCtx, raw: Raw, id: string, stageName: string, ptr: string, needs: string[]): JobIR {
  const name = jobName(raw, id);
  const job: JobIR = {
    id: `${stageName}.${name}`,
    name,
    needs,
    image: DEFAULT_IMAGE,
    runner: "small",
    env: {},
    steps: [],
    produces: [],
    consumes: [],
    retries: 0,
  };
  const native: Raw = {};
  const strategy = isObject(raw.strategy) ? raw.strategy : undefined;
  let m: { keys: Set<string>; imageTemplate?: string } = { keys: new Set() };
  if (strategy && isObject(strategy.matrix)) m = importMatrix(ctx, job, strategy, id, ptr, native);
  else if (strategy && strategy.parallel !== undefined) {
    native.strategy = { parallel: strategy.parallel };
    report(ctx, "PG-ADO-IMPORT-NATIVE-KEY", `strategy.parallel of job ${id} kept as native.azure`, strategy, ptr);
  }
  const scope = { ...ctx.scope, matrix: m.keys };
  importImage(ctx, job, raw, m.imageTemplate, ptr, native);
  if (raw.pool !== undefined) native.pool = raw.pool;
  for (const k of ["workspace", "services", "cancelTimeoutInMinutes", "continueOnError", "uses", "templateContext"])
    if (raw[k] !== undefined) native[k] = raw[k];
  const stepsRaw = raw.deployment !== undefined ? deploymentSteps(ctx, job, raw, strategy, ptr, native) : Array.isArray(raw.steps) ? raw.steps : [];
  const parts = importSteps({ ...ctx, scope }, stepsRaw, `${ptr}/steps`);
  job.steps = parts.steps;
  job.produces = parts.produces;
  job.consumes = parts.consumes;
  ctx.uses.set(job, parts.uses);
  if (!job.steps.length) emptyJob(ctx, job, raw, stepsRaw, ptr);
  if (raw.timeoutInMinutes !== undefined && Number(raw.timeoutInMinutes) > 0) job.timeoutSeconds = Number(raw.timeoutInMinutes) * 60;
  jobVariables(ctx, job, raw, scope, ptr, native);
  jobCondition(ctx, job, raw, ptr, native);
  if (typeof raw.displayName === "string" && raw.displayName !== name && neutralName(raw.displayName) !== raw.displayName) job.description = raw.displayName;
  if (Object.keys(native).length) {
    job.native = { azure: native };
    const shown = Object.keys(native).filter((k) => !(k === "container" && native.container === null));
    if (shown.length) report(ctx, "PG-ADO-IMPORT-NATIVE-KEY", `job ${id}: ${shown.join(", ")} kept as native.azure`, raw, `${ptr}/native`);
  }
  mark(ctx, ptr, raw);
  return job;
}

/** The Azure id of a job item (a template reference stands for the jobs of its file). */
export function rawJobId(j: Raw, k: number): string {
  if (isTemplateRef(j)) return `template:${j.template}`;
  return toStr(j.job ?? j.deployment ?? `job_${k + 1}`);
}
