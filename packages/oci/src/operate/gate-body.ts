/**
 * The bodies hold and release write, as apply would write them for `transition: {enabled: false}`:
 * the `<stage>.transition` MANUAL_APPROVAL stage in the compiler's field order, and the stages after
 * it with their new predecessors — each with the content hash the compiler would stamp
 * (pipeglot-hash over the compiled form, OCIDs as symbols), so that a plan of a definition that
 * disables the transition finds nothing to change after hold. Without the compile output (--target
 * P NAME) the hashes of the stages after the gate are left as they are.
 */
import { shortHash, toJson, type Obj } from "@pipeglot/core";
import { MANAGED_BY, TAG } from "../conventions.js";
import { isObj, tagsOf } from "./calls.js";
import type { OperateContext } from "./context.js";

const PIPELINE = "${deployPipeline.id}";
const stageSymbol = (name: string) => `\${deployStage.${name}.id}`;

/** Stamp the compiler's hash into a compiled body's tags (the same rule as compile's emitJson). */
function stamped(body: Obj): Obj {
  const { [TAG.hash]: _old, ...rest } = tagsOf(body);
  void _old;
  return { ...body, freeformTags: { ...rest, [TAG.hash]: shortHash(toJson({ ...body, freeformTags: rest }), 12) } };
}

/** Live OCID → compiled symbol (the deploy pipeline and its stages). */
export function symbolOf(ctx: OperateContext, id: string): string {
  if (id === ctx.live.deploy?.id) return PIPELINE;
  const s = ctx.live.deployStages.find((d) => d.id === id);
  return s ? stageSymbol(String(s.displayName)) : id;
}

/** The compiled gate: fields in compile's order. `preds` are symbols. */
export function gateBody(ctx: OperateContext, stage: string, reason: string | undefined, preds: readonly string[], entryTags: Record<string, string>): Obj {
  return stamped({
    deployStageType: "MANUAL_APPROVAL",
    deployPipelineId: PIPELINE,
    displayName: `${stage}.transition`,
    ...(reason !== undefined ? { description: reason } : {}),
    deployStagePredecessorCollection: { items: (preds.length ? preds : [PIPELINE]).map((id) => ({ id })) },
    approvalPolicy: { approvalPolicyType: "COUNT_BASED_APPROVAL", numberOfApprovalsRequired: 1 },
    freeformTags: {
      [TAG.managedBy]: MANAGED_BY,
      [TAG.pipeline]: ctx.ref.pipeline,
      [TAG.stage]: stage,
      [TAG.stageIndex]: entryTags[TAG.stageIndex] ?? "0",
      [TAG.stageNeeds]: entryTags[TAG.stageNeeds] ?? "",
      [TAG.gate]: "transition",
    },
  });
}

/** A stage's compiled body from the compile output, when the definition was given. */
function compiled(ctx: OperateContext, name: string): Obj | undefined {
  const f = ctx.ref.output?.files.find((x) => x.kind === "oci.CreateDeployStageDetails" && x.path === `deploy_stages/${name}.json`);
  const body = f ? (JSON.parse(f.content) as unknown) : undefined;
  return isObj(body) ? (body as Obj) : undefined;
}

/** The freeform tags a stage gets with new predecessors (symbols): its compiled hash recomputed when the output is known. */
export function retagged(ctx: OperateContext, live: Obj, preds: readonly string[]): Record<string, string> {
  const c = compiled(ctx, String(live.displayName));
  if (!c) return tagsOf(live);
  const next = stamped({ ...c, deployStagePredecessorCollection: { items: preds.map((id) => ({ id })) } });
  return { ...tagsOf(live), [TAG.hash]: tagsOf(next)[TAG.hash]! };
}

/** A compiled body with its symbols resolved to live OCIDs (`${deployPipeline.id}`, `${deployStage.X.id}`). */
export function resolved(ctx: OperateContext, body: Obj, extra: Record<string, string> = {}): Obj {
  const ids = new Map<string, string>([[PIPELINE, String(ctx.live.deploy?.id)], ...Object.entries(extra)]);
  for (const s of ctx.live.deployStages) ids.set(stageSymbol(String(s.displayName)), String(s.id));
  return JSON.parse(JSON.stringify(body).replace(/\$\{deploy(?:Pipeline|Stage\.[^}]+)\.id\}/g, (m) => ids.get(m) ?? m)) as Obj;
}

export { stageSymbol };
