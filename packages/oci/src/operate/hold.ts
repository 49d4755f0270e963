/**
 * `pipeglot hold|release` on OCI. OCI DevOps has no stage transitions. What really holds runs
 * before a stage is a MANUAL_APPROVAL stage, and that is what apply makes of a disabled
 * `transition:` for a stage in the deploy pipeline (compile/deploy.ts: `<stage>.transition`,
 * tagged pipeglot-gate=transition, the reason as its description). So, for such a stage:
 *   hold     CreateDeployStage of that gate before the stage's first stages, which then follow it
 *            (UpdateDeployStage): runs that reach it wait there, shown as held;
 *   release  every deployment waiting at the gate is let through (ApproveDeployment), the stages
 *            after it get its predecessors back, and the gate is deleted (DeleteDeployStage).
 * The bodies are the ones apply writes (gate-body.ts). A stage that runs in the build pipeline
 * cannot be held (a build run cannot wait): a `config` error says to disable its transition in the
 * definition and apply (the stage then moves to the deploy pipeline behind such a gate).
 */
import { randomUUID } from "node:crypto";
import { findStage, PipeglotError, type HoldOptions, type Obj } from "@pipeglot/core";
import { KIND } from "../live/index.js";
import { TAG } from "../conventions.js";
import { isObj, refusal, runs, tagsOf } from "./calls.js";
import type { OperateContext } from "./context.js";
import { waitingDeployments } from "./decide.js";
import { gateBody, resolved, retagged, stageSymbol, symbolOf } from "./gate-body.js";

const DEADLINE_MS = 10 * 60_000;
const predsOf = (b: Obj): string[] => {
  const c = b.deployStagePredecessorCollection;
  return isObj(c) && Array.isArray(c.items) ? c.items.flatMap((i) => (isObj(i) && typeof i.id === "string" ? [i.id] : [])) : [];
};
const predecessors = (ids: readonly string[]) => ({ deployStagePredecessorCollection: { items: ids.map((id) => ({ id })) } });

/** One deploy stage write, waited for (its work request); the written body. */
async function write(ctx: OperateContext, what: string, fn: () => Promise<{ workRequestId?: string; body?: Obj }>): Promise<Obj | undefined> {
  try {
    const r = await ctx.client.edge.call(fn);
    await ctx.client.workRequests.wait(r.workRequestId, String(ctx.live.deploy?.compartmentId ?? ""), Date.now() + DEADLINE_MS, what);
    return r.body;
  } catch (e) {
    throw refusal(what, e);
  }
}

function notHere(ctx: OperateContext, stage: string): PipeglotError {
  return new PipeglotError(
    `hold is not supported on OCI for stage ${stage} of ${ctx.ref.pipeline}: OCI DevOps has no stage transitions and the stage runs in the build pipeline, which cannot wait; ` +
      `set transition: {enabled: false, reason: …} on stage ${stage} in the definition and apply (the stage then waits behind a MANUAL_APPROVAL stage), or give it an approval`,
    "config",
  );
}

export async function hold(ctx: OperateContext, opts: HoldOptions): Promise<void> {
  const stage = findStage(ctx.layout.stages, opts.stage, ctx.ref.pipeline);
  const inDeploy = ctx.live.deployStages.filter((s) => tagsOf(s)[TAG.stage] === stage.name);
  if (!ctx.live.deploy || !inDeploy.length) throw notHere(ctx, stage.name);
  const gate = inDeploy.find((s) => tagsOf(s)[TAG.gate] === "transition");
  if (opts.hold) return gate ? newReason(ctx, stage.name, gate, opts.reason) : addGate(ctx, stage.name, inDeploy, opts.reason);
  if (gate) await removeGate(ctx, gate);
}

async function addGate(ctx: OperateContext, stage: string, inDeploy: Obj[], reason: string | undefined): Promise<void> {
  const ids = new Set(inDeploy.map((s) => String(s.id)));
  // The stage's first stages: those none of whose predecessors is in the stage.
  const entries = inDeploy.filter((s) => !predsOf(s).some((p) => ids.has(p)));
  const preds = [...new Set(entries.flatMap(predsOf))].map((id) => symbolOf(ctx, id));
  const body = gateBody(ctx, stage, reason, preds, tagsOf(entries[0]!));
  const stages = ctx.client.api.kinds[KIND.deployStage];
  const what = `hold stage ${stage}: create deploy stage ${stage}.transition`;
  const token = randomUUID();
  const created = await write(ctx, what, () => stages.create(resolved(ctx, body), token));
  const gateId = created && typeof created.id === "string" ? created.id : undefined;
  if (!gateId) throw new PipeglotError(`${what}: OCI did not return the new stage's id`, "api");
  const after = [stageSymbol(`${stage}.transition`)];
  for (const e of entries)
    await write(ctx, `hold stage ${stage}: update deploy stage ${String(e.displayName)}`, () =>
      stages.update(String(e.id), { ...predecessors([gateId]), freeformTags: retagged(ctx, e, after) }),
    );
}

/** Held already: a new reason replaces the gate's description (with the hash apply would stamp). */
async function newReason(ctx: OperateContext, stage: string, gate: Obj, reason: string | undefined): Promise<void> {
  if (reason === undefined || gate.description === reason) return;
  const body = gateBody(
    ctx,
    stage,
    reason,
    predsOf(gate).map((id) => symbolOf(ctx, id)),
    tagsOf(gate),
  );
  const stages = ctx.client.api.kinds[KIND.deployStage];
  await write(ctx, `hold stage ${stage}: update deploy stage ${String(gate.displayName)}`, () =>
    stages.update(String(gate.id), { description: reason, freeformTags: { ...tagsOf(gate), [TAG.hash]: tagsOf(body)[TAG.hash]! } }),
  );
}

async function removeGate(ctx: OperateContext, gate: Obj): Promise<void> {
  const gateId = String(gate.id);
  const name = String(gate.displayName);
  for (const d of await waitingDeployments(ctx, gateId))
    await runs(ctx.client, `let deployment ${String(d.id)} through ${name}`, (api) =>
      api.approveDeployment(String(d.id), { deployStageId: gateId, action: "APPROVE", reason: "released by pipeglot release" }),
    );
  const stages = ctx.client.api.kinds[KIND.deployStage];
  const back = predsOf(gate);
  for (const s of ctx.live.deployStages.filter((x) => predsOf(x).includes(gateId)))
    await write(ctx, `release: update deploy stage ${String(s.displayName)}`, () =>
      stages.update(String(s.id), {
        ...predecessors(back),
        freeformTags: retagged(
          ctx,
          s,
          back.map((id) => symbolOf(ctx, id)),
        ),
      }),
    );
  await write(ctx, `release: delete deploy stage ${name}`, () => stages.remove(gateId));
}
