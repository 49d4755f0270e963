/**
 * hold / release on Azure Pipelines. Azure has no disabled transition; what holds runs before a
 * stage is a check on the environment the stage deploys to (checks are evaluated before the
 * stage starts). `hold` enables an Approval check whose only approver is the caller (connectionData)
 * and whose instructions carry the mark and the reason (adding it the first time); a run reaching
 * the stage waits there, and `status` shows it held. `release` disables the check and approves
 * the hold approvals runs are waiting on, so they go on. Live sync ignores hold checks (they are not the definition's
 * approval), so plan/apply never undo a hold; the definition's own `transition: {enabled: false}`
 * compiles to `trigger: manual`, which `status` also shows as held and which only the definition
 * releases.
 */
import { findStage, isObject, PipeglotError, type HoldOptions, type Obj, type RunRef } from "@pipeglot/core";
import type { AzureLiveClient } from "../live/client.js";
import { APPROVAL_TYPE_ID } from "../live/client.js";
import { HOLD_MARK } from "../live/check.js";
import { envId } from "../live/environment.js";
import { pipelineLayout, stageNamed, type LayoutStage } from "./layout-source.js";
import { addCheck, APPROVALS_API_VERSION, definitionOf, deleteCheck, environmentChecks, me, projectRest, updateApprovals, updateCheck } from "./native.js";

export { HOLD_MARK };
/** Check timeout (minutes): Azure's longest, 30 days; a run held longer fails. */
const HOLD_TIMEOUT_MINUTES = 43200;

const holdText = (env: string, reason: string): string => `${HOLD_MARK}environment ${env}): ${reason}`;

/** The reason in a hold's instructions. */
export function holdReason(instructions: string): string {
  const i = instructions.indexOf("): ");
  return i < 0 ? instructions : instructions.slice(i + 3);
}

export function isHoldCheck(c: Obj): boolean {
  const s = isObject(c.settings) ? c.settings : {};
  return typeof s.instructions === "string" && s.instructions.startsWith(HOLD_MARK);
}

async function stageToHold(az: AzureLiveClient, ref: RunRef, name: string): Promise<LayoutStage> {
  const def = await definitionOf(az, ref.pipeline);
  const layout = await pipelineLayout(az, ref, def.body);
  if (!layout.length)
    throw new PipeglotError(`cannot read the stages of pipeline ${ref.pipeline}: give the definition file, or keep its YAML in Azure Repos`, "config");
  return stageNamed(layout, name) ?? findStage(layout, name, ref.pipeline);
}

async function environmentOf(az: AzureLiveClient, env: string): Promise<number> {
  const row = await envId(az, env);
  if (!row) throw new PipeglotError(`environment ${env} does not exist in project ${az.project}: apply the pipeline first`, "not-found");
  return row.id;
}

function holdBody(env: string, envId: number, who: { id: string; displayName: string }, reason: string): Obj {
  return {
    type: { id: APPROVAL_TYPE_ID, name: "Approval" },
    settings: {
      approvers: [{ id: who.id, displayName: who.displayName }],
      minRequiredApprovers: 1,
      instructions: holdText(env, reason),
      executionOrder: "anyOrder",
      requesterCannotBeApprover: false,
      blockedApprovers: [],
    },
    resource: { type: "environment", id: String(envId), name: env },
    timeout: HOLD_TIMEOUT_MINUTES,
  };
}

/** Enable the environment's hold check with this reason (the one a release disabled), else add one. */
async function hold(az: AzureLiveClient, stage: LayoutStage, reason: string): Promise<void> {
  const who = await me(az);
  for (const env of stage.environments) {
    const id = await environmentOf(az, env);
    const [existing, ...extra] = (await environmentChecks(az, id)).filter(isHoldCheck);
    for (const c of extra) await deleteCheck(az, Number(c.id));
    const body = holdBody(env, id, who, reason);
    if (existing) await updateCheck(az, Number(existing.id), { ...body, id: existing.id, version: existing.version, isDisabled: false });
    else await addCheck(az, body);
  }
}

/** Approve the hold approvals runs wait on before the environment, so that they go on. */
async function letThrough(az: AzureLiveClient, env: string, reason: string | undefined): Promise<number> {
  const pending = await projectRest<{ value?: Obj[] }>(az, "GET", "pipelines/approvals?state=pending", APPROVALS_API_VERSION);
  const mark = `${HOLD_MARK}environment ${env}):`;
  const waiting = (pending?.value ?? []).filter((a) => typeof a.instructions === "string" && a.instructions.startsWith(mark));
  if (waiting.length)
    await updateApprovals(
      az,
      waiting.map((a) => ({ approvalId: String(a.id), status: "approved" as const, comment: `released${reason ? `: ${reason}` : ""}` })),
    );
  return waiting.length;
}

/** Disable the environments' hold checks (kept, for the next hold) and let the runs they hold through. */
async function release(az: AzureLiveClient, stage: LayoutStage, reason: string | undefined): Promise<void> {
  let released = 0;
  for (const env of stage.environments) {
    const id = await environmentOf(az, env);
    for (const c of (await environmentChecks(az, id)).filter(isHoldCheck)) {
      if (c.isDisabled === true) continue;
      await updateCheck(az, Number(c.id), { ...c, isDisabled: true });
      released++;
    }
    released += await letThrough(az, env, reason);
  }
  if (released) return;
  if (stage.manual)
    throw new PipeglotError(
      `stage ${stage.name} is held by the definition: its transition is disabled (trigger: manual); set transition.enabled: true and apply`,
      "config",
    );
  throw new PipeglotError(`stage ${stage.name} is not held`, "not-found");
}

export async function holdStage(az: AzureLiveClient, ref: RunRef, opts: HoldOptions): Promise<void> {
  const stage = await stageToHold(az, ref, opts.stage);
  if (!stage.environments.length)
    throw new PipeglotError(
      `hold is not supported on azure for stage ${stage.name}: Azure holds runs with a check on the environment a stage deploys to, and stage ${stage.name} deploys to none; give one of its jobs an environment, or disable the transition in the definition (transition: {enabled: false}, compiled as trigger: manual) and apply`,
      "config",
    );
  if (!opts.hold) return release(az, stage, opts.reason);
  if (!opts.reason) throw new PipeglotError("hold needs --reason: Azure records it in the hold check's instructions", "usage");
  return hold(az, stage, opts.reason);
}
