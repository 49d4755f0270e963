/**
 * `pipeglot hold|release` on OCI. OCI DevOps has no stage transitions. What really holds runs
 * before a stage is a MANUAL_APPROVAL stage, and that is what apply makes of a disabled
 * `transition:` for a stage in the deploy pipeline (deploy/compile: `<stage>.transition`, tagged
 * pipeglot-gate=transition, the reason as its description). So, for such a stage:
 *   hold     CreateDeployStage of that gate before the stage's first stages (their predecessors
 *            become the gate): runs started from now on wait there, shown as held;
 *   release  every deployment waiting at the gate is let through (ApproveDeployment), the stages
 *            after it get its predecessors back, and the gate is deleted (DeleteDeployStage).
 * A stage that runs in the build pipeline cannot be held (a build run cannot wait): a `config`
 * error says to disable its transition in the definition and apply (the stage then moves to the
 * deploy pipeline behind such a gate).
 */
import { findStage, PipeglotError, type HoldOptions, type Obj } from "@pipeglot/core";
import { KIND } from "../live/index.js";
import { MANAGED_BY, TAG } from "../conventions.js";
import { isObj, refusal, runs, tagsOf } from "./calls.js";
import type { OperateContext } from "./context.js";
import { waitingDeployments } from "./decide.js";

const DEADLINE_MS = 10 * 60_000;
const predsOf = (b: Obj): string[] => {
  const c = b.deployStagePredecessorCollection;
  return isObj(c) && Array.isArray(c.items) ? c.items.flatMap((i) => (isObj(i) && typeof i.id === "string" ? [i.id] : [])) : [];
};
const predecessors = (ids: readonly string[]) => ({ deployStagePredecessorCollection: { items: ids.map((id) => ({ id })) } });

/** One deploy stage write, waited for (its work request). */
async function write(ctx: OperateContext, what: string, fn: () => Promise<{ workRequestId?: string }>): Promise<string | undefined> {
  const api = ctx.client;
  try {
    const r = await api.edge.call(fn);
    await api.workRequests.wait(r.workRequestId, String(ctx.live.deploy?.compartmentId ?? ""), Date.now() + DEADLINE_MS, what);
    return isObj((r as { body?: unknown }).body) ? String((r as { body: Obj }).body.id) : undefined;
  } catch (e) {
    throw refusal(what, e);
  }
}

function notHere(ctx: OperateContext, stage: string): PipeglotError {
  return new PipeglotError(
    `hold is not supported on OCI for stage ${stage} of ${ctx.ref.pipeline}: OCI DevOps has no stage transitions and the stage runs in the build pipeline, which cannot wait; ` +
      `set transition: {enabled: false, reason: …} on stage ${stage} in the definition and apply (the stage then waits behind a MANUAL_APPROVAL stage), or add an approval to it`,
    "config",
  );
}

export async function hold(ctx: OperateContext, opts: HoldOptions): Promise<void> {
  const stage = findStage(ctx.layout.stages, opts.stage, ctx.ref.pipeline);
  const inDeploy = ctx.live.deployStages.filter((s) => tagsOf(s)[TAG.stage] === stage.name);
  if (!ctx.live.deploy || !inDeploy.length) throw notHere(ctx, stage.name);
  const gate = inDeploy.find((s) => tagsOf(s)[TAG.gate] === "transition");
  if (opts.hold) return gate ? undefined : addGate(ctx, stage.name, inDeploy, opts.reason);
  if (gate) await removeGate(ctx, gate);
}

async function addGate(ctx: OperateContext, stage: string, inDeploy: Obj[], reason: string | undefined): Promise<void> {
  const ids = new Set(inDeploy.map((s) => String(s.id)));
  // The stage's first stages: those none of whose predecessors is in the stage.
  const entries = inDeploy.filter((s) => !predsOf(s).some((p) => ids.has(p)));
  const preds = [...new Set(entries.flatMap(predsOf))];
  const tags = tagsOf(entries[0]!);
  const details: Obj = {
    deployStageType: "MANUAL_APPROVAL",
    deployPipelineId: String(ctx.live.deploy!.id),
    displayName: `${stage}.transition`,
    ...(reason !== undefined ? { description: reason } : {}),
    ...predecessors(preds.length ? preds : [String(ctx.live.deploy!.id)]),
    approvalPolicy: { approvalPolicyType: "COUNT_BASED_APPROVAL", numberOfApprovalsRequired: 1 },
    freeformTags: {
      [TAG.managedBy]: MANAGED_BY,
      [TAG.pipeline]: ctx.ref.pipeline,
      [TAG.stage]: stage,
      [TAG.stageIndex]: tags[TAG.stageIndex] ?? "0",
      [TAG.stageNeeds]: tags[TAG.stageNeeds] ?? "",
      [TAG.gate]: "transition",
    },
  };
  const stages = ctx.client.api.kinds[KIND.deployStage];
  const gateId = await write(ctx, `hold stage ${stage}: create deploy stage ${stage}.transition`, () =>
    stages.create(details, `pipeglot-hold-${stage}-${Date.now()}`),
  );
  if (!gateId) throw new PipeglotError(`hold stage ${stage}: OCI did not return the new deploy stage's id`, "api");
  for (const e of entries)
    await write(ctx, `hold stage ${stage}: update deploy stage ${String(e.displayName)}`, () => stages.update(String(e.id), predecessors([gateId])));
}

async function removeGate(ctx: OperateContext, gate: Obj): Promise<void> {
  const gateId = String(gate.id);
  const name = String(gate.displayName);
  for (const d of await waitingDeployments(ctx, gateId))
    await runs(ctx.client, `let deployment ${String(d.id)} through ${name}`, (api) =>
      api.approveDeployment(String(d.id), { deployStageId: gateId, action: "APPROVE", reason: "released by pipeglot release" }),
    );
  const stages = ctx.client.api.kinds[KIND.deployStage];
  for (const s of ctx.live.deployStages.filter((x) => predsOf(x).includes(gateId)))
    await write(ctx, `release: update deploy stage ${String(s.displayName)}`, () => stages.update(String(s.id), predecessors(predsOf(gate))));
  await write(ctx, `release: delete deploy stage ${name}`, () => stages.remove(gateId));
}
