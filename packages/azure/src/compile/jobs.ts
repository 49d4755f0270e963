/** Jobs: regular, container and deployment jobs; matrix; artifacts; job env. */
import { expandMatrix, mergeNative, type NameRegistry } from "@pipeglot/core";
import { parseTemplate, references, type JobIR } from "@pipeglot/schema";
import { idRegistry, sanitizeCell } from "../names.js";
import type { AzJob, AzStep } from "../native/pipeline.js";
import { minutes, type Ctx } from "./context.js";
import { compileCondition, compileEnv, compileStep, notTranslated, templateFragment } from "./steps.js";

export const STAGING = "$(Build.ArtifactStagingDirectory)";
export const SOURCES = "$(System.DefaultWorkingDirectory)";
export const MATRIX_IMAGE_VAR = "pipeglot_image";
/** The matrix variable holding the entry's name, in a matrix job that publishes artifacts. */
export const MATRIX_CELL_VAR = "pipeglot_cell";
/** What a matrix job appends to the name of each artifact it publishes: one artifact per entry. */
export const CELL_SUFFIX = `-$(${MATRIX_CELL_VAR})`;
const ENV_SAFE = /^[A-Z_][A-Z0-9_]*$/;

/** The matrix entries of a job: entry name (unique, sanitized) → the cell's values. */
function matrixEntries(job: JobIR): [string, Record<string, string>][] {
  const ids = idRegistry();
  return expandMatrix(job).map((cell) => [ids.take(sanitizeCell(cell.suffix || "cell")), cell.values]);
}

/**
 * Azure publishes an artifact name once per run, so each entry of a matrix job publishes its own
 * `<name>-<entry>`; a consumer downloads the last entry's (the one the neutral run keeps).
 * Neutral artifact name → the name consumers download.
 */
export function downloadNames(ctx: Pick<Ctx, "ir">): Map<string, string> {
  const out = new Map<string, string>();
  for (const job of ctx.ir.stages.flatMap((s) => s.jobs)) {
    const last = job.matrix ? matrixEntries(job).at(-1)?.[0] : undefined;
    if (last !== undefined) for (const a of job.produces) out.set(a.name, `${a.name}-${last}`);
  }
  return out;
}

function artifactSteps(ctx: Ctx, job: JobIR, path: string): { before: AzStep[]; after: AzStep[] } {
  const before: AzStep[] = job.consumes.map((name) => ({
    task: "DownloadPipelineArtifact@2",
    displayName: `Download ${name}`,
    inputs: { buildType: "current", artifactName: ctx.artifactNames.get(name) ?? name, targetPath: SOURCES },
  }));
  const after: AzStep[] = [];
  for (const a of job.produces) {
    after.push({
      task: "CopyFiles@2",
      displayName: `Collect ${a.name}`,
      inputs: { SourceFolder: SOURCES, Contents: a.paths.join("\n"), TargetFolder: `${STAGING}/${a.name}` },
    });
    after.push({ publish: `${STAGING}/${a.name}`, artifact: job.matrix ? `${a.name}${CELL_SUFFIX}` : a.name, displayName: `Publish ${a.name}` });
  }
  if (before.length || after.length)
    ctx.report(
      "PG-ADO-ARTIFACT",
      `${path}/artifacts`,
      "artifacts are copied with CopyFiles@2, published with publish: and downloaded into the sources folder with DownloadPipelineArtifact@2",
    );
  return { before, after };
}

/** Split job env into job variables (upper-case, no secrets) and entries copied into every step. */
function jobEnv(ctx: Ctx, job: JobIR, path: string): { variables: Record<string, string>; perStep: Record<string, string> } {
  const variables: Record<string, string> = {};
  const perStep: Record<string, string> = {};
  const moved: string[] = [];
  for (const [k, v] of Object.entries(job.env)) {
    if (ENV_SAFE.test(k) && references(v).secrets.length === 0) variables[k] = v;
    else {
      perStep[k] = v;
      moved.push(k);
    }
  }
  if (moved.length)
    ctx.report(
      "PG-ADO-JOB-ENV",
      `${path}/env`,
      `job env ${moved.join(", ")} copied into each step's env (secrets are never exported to the environment automatically; job variables are upper-cased)`,
    );
  return { variables: compileEnv(ctx, variables, `${path}/env`), perStep: compileEnv(ctx, perStep, `${path}/env`) };
}

/** `gate`: the approval job this job's condition must also wait to succeed (see compileStage). */
export function compileJob(ctx: Ctx, job: JobIR, path: string, id: string, dependsOn: string[], gate?: string): AzJob {
  const tpl = templateFragment(ctx, job.native?.azure, path);
  if (tpl) return tpl;
  const usesMatrixImage = parseTemplate(job.image).segments.some((s) => s.kind === "matrix");
  const deployment = job.environment !== undefined && !job.matrix;
  if (job.environment !== undefined && job.matrix)
    ctx.report(
      "PG-ADO-MATRIX-DEPLOYMENT",
      `${path}/environment`,
      `job ${job.name} has a matrix, so it cannot be a deployment job; environment ${job.environment} is dropped`,
    );
  let out: AzJob = deployment ? { deployment: id } : { job: id };
  if (id !== job.name) out.displayName = job.name;
  if (dependsOn.length) out.dependsOn = dependsOn;
  const cond = compileCondition(ctx, job.condition, `${path}/condition`);
  if (cond) out.condition = gate ? `and(eq(dependencies.${gate}.result, 'Succeeded'), ${cond})` : cond;
  if (job.description !== undefined) ctx.report("PG-ADO-DESCRIPTION", `${path}/description`, `the description of job ${job.name} is not written`);
  if (job.runner !== "small")
    ctx.report(
      "PG-ADO-RUNNER-SIZE",
      `${path}/runner`,
      `runner ${job.runner} cannot be chosen on the Microsoft-hosted pool; the job runs on the standard agent`,
      "use a self-hosted pool (targets.azure.pool) sized for the job",
    );
  if (job.retries)
    ctx.report(
      "PG-ADO-RETRY-JOB",
      `${path}/retries`,
      `Azure does not retry failed jobs automatically; retries: ${job.retries} is dropped`,
      "use step retries (retryCountOnTaskFailure)",
    );
  if (job.timeoutSeconds !== undefined) out.timeoutInMinutes = minutes(ctx, job.timeoutSeconds, `${path}/timeout`);
  if (job.matrix) {
    const matrix: Record<string, Record<string, string>> = {};
    for (const [entry, values] of matrixEntries(job)) {
      const vars: Record<string, string> = { ...values };
      if (usesMatrixImage)
        vars[MATRIX_IMAGE_VAR] = parseTemplate(job.image)
          .segments.map((s) => (s.kind === "matrix" ? (values[s.name] ?? "") : s.kind === "text" ? s.value : ""))
          .join("");
      if (job.produces.length) vars[MATRIX_CELL_VAR] = entry;
      matrix[entry] = vars;
    }
    out.strategy = { matrix };
  }
  if (usesMatrixImage) {
    out.container = `$[ variables['${MATRIX_IMAGE_VAR}'] ]`;
    ctx.report("PG-ADO-MATRIX-IMAGE", `${path}/image`, `image ${job.image} depends on the matrix; written as the matrix variable ${MATRIX_IMAGE_VAR}`);
  } else out.container = job.image;
  if (deployment) out.environment = job.environment;
  const env = jobEnv(ctx, job, path);
  if (Object.keys(env.variables).length) out.variables = env.variables;
  const ids: NameRegistry = idRegistry();
  const art = artifactSteps(ctx, job, path);
  const steps: AzStep[] = [
    ...(deployment ? [{ checkout: "self" }, { download: "none" }] : []),
    ...art.before,
    ...job.steps.map((s, n) => compileStep(ctx, s, `${path}/steps/${n}`, ids, env.perStep)),
    ...(job.steps.length || job.native?.azure ? [] : [notTranslated(ctx, path, `job "${job.id}"`, "has no steps", `${path}/steps`)]),
    ...art.after,
  ];
  if (deployment) out.strategy = { runOnce: { deploy: { steps } } };
  else out.steps = steps;
  const native = job.native?.azure;
  if (native) {
    out = mergeNative(out, native);
    ctx.report("PG-ADO-NATIVE", `${path}/native/azure`, "native.azure job fragment merged as written");
  }
  return out;
}
