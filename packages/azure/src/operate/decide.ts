/**
 * approve / reject: the pending approval before a stage, through the pipeline approvals API
 * (`PATCH _apis/pipelines/approvals` with {approvalId, status, comment}). The approval is found
 * in the run's timeline: the Checkpoint.Approval records under the stage's Checkpoint (their id is
 * the approval's). Only environment-check approvals have that API: a ManualValidation job (the
 * compiler's default approvalMode `job`) is decided on the run's page, which the error says.
 */
import { findStage, isPipeglotError, noPendingApproval, PipeglotError, type DecideOptions, type Obj, type PipelineRun, type RunRef } from "@pipeglot/core";
import type { Build, TimelineRecord } from "azure-devops-node-api/interfaces/BuildInterfaces.js";
import type { AzureLiveClient } from "../live/client.js";
import { HOLD_MARK, holdReason } from "./hold-check.js";
import { pipelineLayout, stageNamed, type LayoutStage } from "./layout-source.js";
import { APPROVALS_API_VERSION, approvalsById, definitionOf, getBuild, getTimeline, projectRest, updateApprovals } from "./native.js";
import { findBuild, runModel } from "./status.js";

interface Pending {
  gates: Obj[];
  holds: Obj[];
}

/** The pending approvals before the stage in a build: the gate's, and holds'. */
async function pendingAt(az: AzureLiveClient, buildId: number, stage: LayoutStage): Promise<Pending> {
  const records: TimelineRecord[] = (await getTimeline(az, buildId))?.records ?? [];
  const stageRec = records.find((r) => r.type === "Stage" && String(r.identifier).toLowerCase() === stage.id.toLowerCase());
  const checkpoint = stageRec && records.find((r) => r.type === "Checkpoint" && r.parentId === stageRec.id);
  const ids = checkpoint ? records.filter((r) => r.type === "Checkpoint.Approval" && r.parentId === checkpoint.id).map((r) => String(r.id)) : [];
  const pending = (await approvalsById(az, ids)).filter((a) => a.status === "pending");
  const isHold = (a: Obj) => typeof a.instructions === "string" && a.instructions.startsWith(HOLD_MARK);
  return { gates: pending.filter((a) => !isHold(a)), holds: pending.filter(isHold) };
}

/** Without a run: the newest run with a pending approval before the stage. */
async function waitingBuild(az: AzureLiveClient, definitionId: number, stage: LayoutStage): Promise<{ build: Build; pending: Pending } | undefined> {
  const res = await projectRest<{ value?: Obj[] }>(az, "GET", "pipelines/approvals?state=pending", APPROVALS_API_VERSION);
  const builds = new Set<number>();
  for (const a of res?.value ?? []) {
    const p = a.pipeline as Obj | undefined;
    const owner = p?.owner as Obj | undefined;
    if (String(p?.id) === String(definitionId) && typeof owner?.id === "number") builds.add(owner.id);
  }
  let held: { build: Build; pending: Pending } | undefined;
  for (const id of [...builds].sort((a, b) => b - a)) {
    const pending = await pendingAt(az, id, stage);
    const build = pending.gates.length || pending.holds.length ? await getBuild(az, id) : undefined;
    if (build && pending.gates.length) return { build, pending };
    if (build) held ??= { build, pending };
  }
  return held;
}

function validationError(stage: LayoutStage, pipeline: string): PipeglotError {
  return new PipeglotError(
    `the approval before stage ${stage.name} of ${pipeline} is a ManualValidation job (targets.azure.approvalMode: job, the default), which Azure DevOps decides only on the run's page; ` +
      "decide it there, or set targets.azure.approvalMode: environment and apply (an Approval check on the stage's environment, which approve/reject decide)",
    "config",
  );
}

export async function decide(az: AzureLiveClient, ref: RunRef, opts: DecideOptions): Promise<PipelineRun> {
  const def = await definitionOf(az, ref.pipeline);
  const layout = await pipelineLayout(az, ref, def.body);
  const stage = stageNamed(layout, opts.stage) ?? findStage(layout, opts.stage, ref.pipeline);
  if (stage.gate?.kind === "validation") throw validationError(stage, ref.pipeline);
  const found =
    opts.run !== undefined
      ? await findBuild(az, def.id, ref.pipeline, opts.run).then(async (build) => ({ build, pending: await pendingAt(az, build.id!, stage) }))
      : await waitingBuild(az, def.id, stage);
  if (!found || !found.pending.gates.length) {
    const hold = found?.pending.holds[0];
    if (hold)
      throw new PipeglotError(`stage ${stage.name} is held (${holdReason(String(hold.instructions))}): release it first, then decide its approval`, "config");
    throw noPendingApproval(ref.pipeline, stage.name, found ? `run ${String(found.build.id)} is not waiting there` : "no run is waiting there");
  }
  const status = opts.decision === "approve" ? "approved" : "rejected";
  try {
    await updateApprovals(
      az,
      found.pending.gates.map((a) => ({ approvalId: String(a.id), status, ...(opts.comment !== undefined ? { comment: opts.comment } : {}) })),
    );
  } catch (e) {
    if (isPipeglotError(e)) throw new PipeglotError(`cannot ${opts.decision} before stage ${stage.name}: ${e.message}`, e.kind);
    throw e;
  }
  const build = (await getBuild(az, found.build.id!)) ?? found.build;
  return runModel(az, ref.pipeline, build, layout);
}
