/**
 * `pipeglot approve|reject` on OCI: ApproveDeployment (action APPROVE or REJECT, the comment as
 * its reason) on the deploy pipeline's MANUAL_APPROVAL stage for the definition's stage, in the
 * deployment waiting there (the named run's, or the newest one waiting).
 */
import { findStage, noPendingApproval, PipeglotError, type DecideOptions, type Obj, type PipelineRun } from "@pipeglot/core";
import { isObj, runs } from "./calls.js";
import { deployStageId, type OperateContext } from "./context.js";
import { deploymentIdOf } from "./model.js";
import { findRun, recentBuildRuns, runOf } from "./runs.js";

/** Is the deployment's stage in progress (waiting for a decision)? */
export function waitingAt(deployment: Obj, stageId: string): boolean {
  const p = isObj(deployment.deploymentExecutionProgress) ? deployment.deploymentExecutionProgress.deployStageExecutionProgress : undefined;
  const entry = isObj(p) ? p[stageId] : undefined;
  return deployment.lifecycleState === "IN_PROGRESS" && isObj(entry) && entry.status === "IN_PROGRESS";
}

/** Deployments of the deploy pipeline in progress whose stage waits, newest first. */
export async function waitingDeployments(ctx: OperateContext, stageId: string): Promise<Obj[]> {
  const pipelineId = String(ctx.live.deploy?.id);
  const list = await runs(ctx.client, `list the deployments of ${ctx.ref.pipeline}`, (api) =>
    api.listDeployments({ deployPipelineId: pipelineId, lifecycleState: "IN_PROGRESS", limit: 100 }),
  );
  const out: Obj[] = [];
  for (const d of list.items) {
    const full = await runs(ctx.client, `read deployment ${String(d.id)}`, (api) => api.getDeployment(String(d.id)));
    if (waitingAt(full, stageId)) out.push(full);
  }
  return out;
}

async function buildRunOf(ctx: OperateContext, deploymentId: string): Promise<Obj | undefined> {
  for (const s of await recentBuildRuns(ctx, 50)) {
    const b = await runs(ctx.client, `read build run ${String(s.id)}`, (api) => api.getBuildRun(String(s.id)));
    if (deploymentIdOf(b) === deploymentId) return b;
  }
  return undefined;
}

async function nothingWaiting(ctx: OperateContext, stage: string): Promise<PipeglotError> {
  const latest = await findRun(ctx).catch(() => undefined);
  return noPendingApproval(ctx.ref.pipeline, stage, latest ? `latest run ${latest.id} is ${latest.state}` : "it has no runs");
}

export async function decide(ctx: OperateContext, opts: DecideOptions): Promise<PipelineRun> {
  const stage = findStage(ctx.layout.stages, opts.stage, ctx.ref.pipeline);
  const gate = stage.gates.find((g) => g.gate === "approval");
  const stageId = gate ? deployStageId(ctx, gate.native) : undefined;
  if (!gate || !stageId) throw noPendingApproval(ctx.ref.pipeline, stage.name, "the stage has no approval");
  let deploymentId: string | undefined;
  if (opts.run) {
    const run = await findRun(ctx, opts.run);
    deploymentId = run.nativeIds[1];
    const d = deploymentId ? await runs(ctx.client, `read deployment ${deploymentId}`, (api) => api.getDeployment(deploymentId!)) : undefined;
    if (!d || !waitingAt(d, stageId)) throw noPendingApproval(ctx.ref.pipeline, stage.name, `run ${run.id} is ${run.state}`);
  } else {
    deploymentId = String((await waitingDeployments(ctx, stageId))[0]?.id ?? "") || undefined;
    if (!deploymentId) throw await nothingWaiting(ctx, stage.name);
  }
  const action = opts.decision === "approve" ? "APPROVE" : "REJECT";
  try {
    await runs(ctx.client, `${opts.decision} stage ${stage.name} of ${ctx.ref.pipeline}`, (api) =>
      api.approveDeployment(deploymentId!, { deployStageId: stageId, action, ...(opts.comment ? { reason: opts.comment } : {}) }),
    );
  } catch (e) {
    if (e instanceof PipeglotError && e.kind === "auth")
      throw new PipeglotError(`${e.message}: the user needs an IAM policy that allows approving deployments (DEVOPS_DEPLOYMENT) in the compartment`, "auth");
    throw e;
  }
  const b = await buildRunOf(ctx, deploymentId);
  if (!b) throw new PipeglotError(`deployment ${deploymentId} was ${opts.decision}d, but no build run of ${ctx.ref.pipeline} started it`, "not-found");
  return runOf(ctx, b);
}
