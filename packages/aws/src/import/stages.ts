/**
 * Stages → neutral stages: stage-level native settings, manual approvals (an approval-only stage,
 * or a first action that gates the rest, becomes the approval of its stage), the stage order
 * recorded by pipeglot, and disabled transitions. The actions of a stage are read by jobs.ts.
 */
import type { PipelineIR, StageIR } from "@pipeglot/schema";
import { isObject } from "@pipeglot/core";
import type { ActionDeclaration, StageDeclaration } from "../native/codepipeline.js";
import { TAG } from "../encoding.js";
import { ACTION_NAME, neutralName, registry } from "../names.js";
import { str, type DeclarationContext } from "./context.js";
import { importStageJobs, isApproval, runOrder, type Gate, type JobsState, type StageAction } from "./jobs.js";
import type { ImportedSource } from "./source.js";

interface StagesState extends JobsState {
  stageNames: ReturnType<typeof registry>;
  /** An approval-only stage waiting to become the approval of the next stage. */
  pendingApproval: Gate | undefined;
}

/** Appends the stages to `ir.stages`; returns the CodeBuild service role (when it differs from the pipeline's). */
export function importStages(cx: DeclarationContext, stages: StageDeclaration[], ir: PipelineIR, src: ImportedSource): string | undefined {
  const st: StagesState = {
    ir,
    sourceArtifacts: src.artifacts,
    varNames: new Set(Object.keys(ir.variables)),
    roleArn: str(cx.inp.decl.roleArn),
    artifactOwner: new Map(),
    codebuildRole: undefined,
    projectNames: new Set(),
    stageNames: registry({ ...ACTION_NAME, sanitize: (n) => neutralName(n, "stage") }),
    pendingApproval: undefined,
  };
  stages.forEach((s, si) => importStage(cx, st, s, si, stages.length));
  if (st.pendingApproval) cx.report("PG-AWS-IMPORT-LOSSY", cx.map, st.pendingApproval.ptr, "an approval at the end of the pipeline gates nothing; dropped");
  orderStages(cx, ir);
  disableTransitions(cx, ir);
  return st.codebuildRole;
}

function importStage(cx: DeclarationContext, st: StagesState, s: StageDeclaration, si: number, count: number): void {
  const actions: StageAction[] = (Array.isArray(s.actions) ? s.actions : [])
    .map((a, ai) => ({ a, ai }))
    .filter(({ a }) => isObject(a) && str(a.actionTypeId?.category) !== "Source");
  if (!actions.length) return;
  const sp = cx.P("stages", si);
  actions.sort((x, y) => runOrder(x.a) - runOrder(y.a));
  const stage: StageIR = { id: "", name: st.stageNames.take(str(s.name)), needs: [], transition: { enabled: true }, jobs: [] };
  stage.id = stage.name;
  const irStage = `/stages/${st.ir.stages.length}`;
  cx.sm.set(irStage, cx.map, sp);
  keepStageNative(cx, s, stage, sp, irStage);
  const placed = placeGate(cx, st, s, si, count, actions, irStage);
  if (!placed) return;
  if (placed.gate) applyApproval(cx, stage, placed.gate, irStage);
  importStageJobs(cx, st, { stage, si, sp, irStage, gate: placed.gate }, placed.rest);
  if (!stage.jobs.length) return;
  // Needs must name jobs of this stage.
  const here = new Set(stage.jobs.map((j) => j.name));
  for (const j of stage.jobs) j.needs = j.needs.filter((n) => here.has(n) && n !== j.name);
  st.ir.stages.push(stage);
}

function keepStageNative(cx: DeclarationContext, s: StageDeclaration, stage: StageIR, sp: string, irStage: string): void {
  const native: Record<string, unknown> = {};
  for (const k of ["onFailure", "onSuccess", "beforeEntry"] as const) if (s[k] !== undefined) native[k] = s[k];
  if (!Object.keys(native).length) return;
  stage.native = { aws: native };
  cx.report("PG-AWS-IMPORT-STAGE-NATIVE", cx.map, sp, `stage ${stage.name}: ${Object.keys(native).join(", ")} kept as native.aws`, irStage);
}

/**
 * Which approval gates the stage and which actions are its jobs; undefined for an approval-only
 * stage (it becomes the approval of the next stage). The first stage cannot be gated in the
 * neutral format: its approval stays a native job.
 */
function placeGate(
  cx: DeclarationContext,
  st: StagesState,
  s: StageDeclaration,
  si: number,
  count: number,
  actions: StageAction[],
  irStage: string,
): { gate: Gate | undefined; rest: StageAction[] } | undefined {
  const minOrder = runOrder(actions[0]!.a);
  const firstIsGate = isApproval(actions[0]!.a) && actions.filter((x) => runOrder(x.a) === minOrder).length === 1;
  if (actions.every((x) => isApproval(x.a)) && actions.length === 1 && si < count - 1) {
    st.pendingApproval = { a: actions[0]!.a, ptr: cx.P("stages", si, "actions", actions[0]!.ai) };
    cx.report("PG-AWS-IMPORT-APPROVAL", cx.map, st.pendingApproval.ptr, `approval-only stage ${str(s.name)} becomes the approval of the next stage`, irStage);
    return undefined;
  }
  let gate: Gate | undefined = st.pendingApproval;
  st.pendingApproval = undefined;
  let rest = actions;
  if (firstIsGate && !gate && actions.length > 1) {
    gate = { a: actions[0]!.a, ptr: cx.P("stages", si, "actions", actions[0]!.ai) };
    rest = actions.slice(1);
  }
  if (gate && st.ir.stages.length === 0) {
    // The neutral format cannot gate its first stage: keep the approval as a native job.
    rest = [{ a: gate.a, ai: -1 }, ...rest];
    if (gate.a !== actions[0]!.a) rest.sort((x, y) => runOrder(x.a) - runOrder(y.a));
    gate = undefined;
  }
  return { gate, rest };
}

function applyApproval(cx: DeclarationContext, stage: StageIR, gate: { a: ActionDeclaration; ptr: string }, irStage: string): void {
  const c = (isObject(gate.a.configuration) ? gate.a.configuration : {}) as Record<string, unknown>;
  stage.approval = { approvers: [], notify: [] };
  if (c.CustomData !== undefined) stage.approval.instructions = str(c.CustomData);
  if (c.NotificationArn !== undefined) stage.approval.notify.push(str(c.NotificationArn));
  if (gate.a.timeoutInMinutes !== undefined) stage.approval.timeoutSeconds = Number(gate.a.timeoutInMinutes) * 60;
  cx.sm.set(`${irStage}/approval`, cx.map, gate.ptr);
  if (c.ExternalEntityLink !== undefined)
    cx.report(
      "PG-AWS-IMPORT-LOSSY",
      cx.map,
      gate.ptr,
      `approval ExternalEntityLink ${JSON.stringify(str(c.ExternalEntityLink))} dropped`,
      `${irStage}/approval`,
    );
}

/** Stage needs as pipeglot recorded them (when they still name earlier stages), else the previous stage. */
function orderStages(cx: DeclarationContext, ir: PipelineIR): void {
  let stageNeeds: Record<string, string[]> = {};
  try {
    const t = cx.tag(TAG.stageNeeds);
    if (t) stageNeeds = JSON.parse(t) as Record<string, string[]>;
  } catch {
    stageNeeds = {};
  }
  const known = new Set(ir.stages.map((s) => s.name));
  ir.stages.forEach((s, i) => {
    const recorded = stageNeeds[s.name];
    s.needs =
      Array.isArray(recorded) && recorded.every((n) => known.has(n) && ir.stages.findIndex((x) => x.name === n) < i)
        ? [...recorded]
        : i === 0
          ? []
          : [ir.stages[i - 1]!.name];
  });
}

function disableTransitions(cx: DeclarationContext, ir: PipelineIR): void {
  for (const t of cx.inp.transitions) {
    const i = ir.stages.findIndex((s) => s.name === neutralName(str(t.stageName), "stage"));
    if (i < 0) continue;
    if (i === 0) {
      cx.report(
        "PG-AWS-IMPORT-LOSSY",
        cx.map,
        cx.inp.base,
        `the disabled transition into the first stage ${t.stageName} cannot be written in the neutral format; dropped`,
      );
      continue;
    }
    ir.stages[i]!.transition = { enabled: false, ...(t.reason ? { reason: t.reason } : {}) };
  }
}
