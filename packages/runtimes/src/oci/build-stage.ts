/**
 * A BUILD (Managed Build) stage: a fresh build runner per stage, the primary build source
 * cloned into `${OCI_WORKSPACE_DIR}/<source name>` = `${OCI_PRIMARY_SOURCE_DIR}` (the default
 * working directory of the steps), the build spec the stage names, run by spec-runner.ts.
 * https://docs.oracle.com/iaas/Content/devops/using/build_specs.htm — predefined variables
 * (OCI_WORKSPACE_DIR, OCI_PRIMARY_SOURCE_DIR, OCI_BUILD_RUN_ID, OCI_TRIGGER_COMMIT_HASH,
 * OCI_TRIGGER_SOURCE_BRANCH_NAME…), exportedVariables (available to the succeeding stages),
 * STAGE_ARTIFACT input artifacts (an earlier stage's output artifact of that name).
 * https://docs.oracle.com/iaas/Content/devops/using/configuring_parameters.htm — the pipeline's
 * parameters are available to the build as variables.
 */
import { cpSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { JobTrace } from "../trace.js";
import { artifactFiles, registryFile, storeStageArtifact, type RunContext } from "./context.js";
import { expand, specEnv, vaultValues } from "./env.js";
import { buildSpecOf, type PipelineStage, type SpecArtifact } from "./files.js";
import { runSpec } from "./spec-runner.js";
import { unitOf } from "./units.js";
import { CONTAINER_NOTE, failedJob } from "./jobs.js";

/** Places an input artifact: a stage artifact from an earlier stage, or a generic artifact from the registry stand-in. */
export function fetchInput(ctx: RunContext, a: SpecArtifact, location: string, env: Record<string, string>): boolean {
  const src =
    a.type === "STAGE_ARTIFACT"
      ? ctx.stageArtifacts.get(a.name)
      : a.path && a.version
        ? registryFile(ctx, expand(a.path, env), expand(a.version, env))
        : undefined;
  if (!src) return false;
  try {
    cpSync(src, location);
    return true;
  } catch {
    return false;
  }
}

function predefined(ctx: RunContext, s: PipelineStage, workspace: string, primary: string, sourceName: string): Record<string, string> {
  return {
    OCI_WORKSPACE_DIR: workspace,
    OCI_PRIMARY_SOURCE_DIR: primary,
    OCI_PRIMARY_SOURCE_NAME: sourceName,
    OCI_BUILD_RUN_ID: ctx.runId,
    OCI_STAGE_ID: `ocid1.devopsbuildstage.oc1..local${s.displayName.replace(/[^A-Za-z0-9]/g, "")}`,
    OCI_TRIGGER_COMMIT_HASH: ctx.opts.inputs.commit,
    OCI_TRIGGER_SOURCE_BRANCH_NAME: ctx.opts.inputs.branch,
  };
}

export async function runBuildStage(ctx: RunContext, s: PipelineStage): Promise<boolean> {
  const spec = buildSpecOf(ctx.files, s);
  const unit = unitOf(ctx.ir, s, spec);
  if (!unit) {
    ctx.notes.push(`build stage ${s.displayName} maps to no neutral job`);
    return false;
  }
  ctx.opts.onProgress?.({ kind: "job-start", name: unit.key });
  if (!spec) {
    ctx.notes.push(`build stage ${s.displayName}: its build spec ${String(s.raw.buildSpecFile)} is not in the compiled output`);
    ctx.jobs.set(unit.key, failedJob(unit.key, unit.neutral));
    return false;
  }
  if (s.freeformTags["pipeglot-image"] !== undefined && !/^OL\d_/.test(s.freeformTags["pipeglot-image"])) ctx.notes.push(CONTAINER_NOTE);
  const workspace = ctx.sandbox.workspace(s.displayName, false);
  const sourceName = String(s.raw.primaryBuildSource ?? "source");
  const primary = join(workspace, sourceName);
  mkdirSync(primary, { recursive: true });
  cpSync(ctx.sandbox.snapshot, primary, { recursive: true });
  const base = { PATH: ctx.path, ...ctx.params, ...ctx.exported, ...predefined(ctx, s, workspace, primary, sourceName) };
  const env = specEnv(spec, base, vaultValues(spec, ctx.ir, ctx.opts.inputs, ctx.notes));
  const timeout = typeof s.raw.stageExecutionTimeoutInSeconds === "number" ? s.raw.stageExecutionTimeoutInSeconds : undefined;
  const res = await runSpec({
    sandbox: ctx.sandbox,
    spec,
    cwd: primary,
    observe: primary,
    env,
    job: unit.neutral,
    ...(timeout !== undefined ? { stageTimeout: timeout } : {}),
    fetchInput: (a, loc, e) => fetchInput(ctx, a, loc, e),
    notes: ctx.notes,
  });
  const job: JobTrace = { key: unit.key, status: res.ok ? "succeeded" : "failed", files: res.files, steps: res.steps, artifacts: {} };
  if (res.ok) {
    for (const [name, file] of res.outputs) {
      storeStageArtifact(ctx, name, file);
      job.artifacts[name] = artifactFiles(ctx, file, name);
    }
    for (const v of spec.env?.exportedVariables ?? []) if (res.env[v] !== undefined) ctx.exported[v] = res.env[v]!;
  }
  ctx.jobs.set(unit.key, job);
  ctx.opts.onProgress?.({ kind: "job-end", name: unit.key, status: job.status });
  return res.ok;
}
