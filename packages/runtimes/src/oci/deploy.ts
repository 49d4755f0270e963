/**
 * The deploy pipeline a TRIGGER_DEPLOYMENT_PIPELINE stage starts, with the build's parameters
 * and exported variables when isPassAllParametersEnabled
 * (https://docs.oracle.com/en-us/iaas/Content/devops/using/triggerdeploy_stage.htm, "Send Build
 * Pipelines Parameters"). Its stages run in their predecessor DAG (dag.ts):
 * - MANUAL_APPROVAL: approved, or rejected when its neutral stage is in opts.reject
 *   (https://docs.oracle.com/iaas/tools/oci-cli/latest/oci_cli_docs/cmdref/devops/deployment/approve.html:
 *   APPROVE or REJECT); a rejection fails the deployment, later stages do not run;
 * - SHELL: the inline command spec runs on a container instance with no source checkout
 *   (https://docs.oracle.com/iaas/Content/devops/using/shell_stage.htm; syntax:
 *   https://docs.oracle.com/en-us/iaas/Content/devops/using/command_spec.htm), bounded by the
 *   stage's timeoutInSeconds; the pipeline's parameters are available to the spec as variables;
 * - WAIT: succeeds at once (no delay is modelled).
 */
import { mkdirSync } from "node:fs";
import type { JobTrace } from "../trace.js";
import { fetchInput } from "./build-stage.js";
import type { RunContext } from "./context.js";
import { parameterValues, specEnv, vaultValues } from "./env.js";
import { commandSpecOf, type PipelineStage } from "./files.js";
import { runDag } from "./dag.js";
import { failedJob } from "./jobs.js";
import { runSpec } from "./spec-runner.js";
import { gateOf, unitOf } from "./units.js";

async function runShellStage(ctx: RunContext, s: PipelineStage, params: Record<string, string>): Promise<boolean> {
  const spec = commandSpecOf(ctx.files, s);
  const unit = unitOf(ctx.ir, s, spec);
  if (!unit) {
    ctx.notes.push(`deploy stage ${s.displayName} maps to no neutral job`);
    return false;
  }
  ctx.opts.onProgress?.({ kind: "job-start", name: unit.key });
  if (!spec) {
    ctx.notes.push(`deploy stage ${s.displayName}: its command spec artifact is not in the output`);
    ctx.jobs.set(unit.key, failedJob(unit.key, unit.neutral));
    return false;
  }
  // The container instance's working folder: the model's choice of path (the page names none).
  const workspace = ctx.sandbox.workspace(s.displayName, false);
  mkdirSync(workspace, { recursive: true });
  const base = { PATH: ctx.path, ...params, OCI_WORKSPACE_DIR: workspace };
  const env = specEnv(spec, base, vaultValues(spec, ctx.ir, ctx.opts.inputs, ctx.notes));
  const timeout = typeof s.raw.timeoutInSeconds === "number" ? s.raw.timeoutInSeconds : 36000;
  const res = await runSpec({
    sandbox: ctx.sandbox,
    spec,
    cwd: workspace,
    observe: workspace,
    env,
    job: unit.neutral,
    stageTimeout: timeout,
    fetchInput: (a, loc, e) => fetchInput(ctx, a, loc, e),
    notes: ctx.notes,
  });
  if ((spec.outputArtifacts ?? []).length) ctx.notes.push("a command spec has no output artifacts: they are not kept");
  const job: JobTrace = { key: unit.key, status: res.ok ? "succeeded" : "failed", files: res.files, steps: res.steps, artifacts: {} };
  ctx.jobs.set(unit.key, job);
  ctx.opts.onProgress?.({ kind: "job-end", name: unit.key, status: job.status });
  return res.ok;
}

function runApproval(ctx: RunContext, s: PipelineStage): boolean {
  const gate = gateOf(s);
  if (gate && ctx.opts.reject.includes(gate.stage)) {
    ctx.rejected.add(gate.stage);
    return false;
  }
  return true;
}

/** Runs the deploy pipeline; false when the deployment failed. */
export async function runDeployPipeline(ctx: RunContext, passed: Record<string, string>): Promise<boolean> {
  const params = parameterValues(ctx.files.deployParameters, ctx.opts.inputs, passed);
  const done = await runDag(ctx.files.deployStages, async (s) => {
    if (s.type === "MANUAL_APPROVAL") return runApproval(ctx, s);
    if (s.type === "SHELL") return runShellStage(ctx, s, params);
    if (s.type === "WAIT") return true;
    ctx.notes.push(`deploy stage type ${s.type} (${s.displayName}) is not modelled: it fails`);
    return false;
  });
  return ctx.files.deployStages.every((s) => done.get(s.displayName) === true);
}
