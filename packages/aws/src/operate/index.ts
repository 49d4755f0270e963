/**
 * Operating CodePipeline runs (issue #19), all native:
 *   run      StartPipelineExecution (variables), then status
 *   status   ListPipelineExecutions, GetPipelineExecution, GetPipeline (the version it runs),
 *            ListActionExecutions, GetPipelineState
 *   approve  GetPipelineState (the approval action's token), PutApprovalResult
 *   hold     DisableStageTransition / EnableStageTransition (Inbound), the reason cleaned as the
 *            compiler cleans a definition's `transition.reason`, so plan and hold agree
 */
import { findStage, isObject, noPendingApproval, PipeglotError, type ProviderOperate, type RunRef } from "@pipeglot/core";
import type { AwsLiveClient } from "../live/client.js";
import { codeOf } from "../live/errors.js";
import { cleanDisabledReason } from "../native/codepipeline.js";
import { STAGE_NAME } from "../names.js";
import { declaration, objs, onPipeline, pipelineState, readExecution, type Obj } from "./read.js";
import { definitionStages, toPipelineRun } from "./map.js";

const s = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const category = (a: Obj): string => (isObject(a.actionTypeId) ? (s(a.actionTypeId.category) ?? "") : "");

/**
 * The live pipeline's name: the name pipeline.json of the compile output gives it (the definition's
 * name as CodePipeline allows it: "Shop Web" is "Shop-Web"), else NAME as given.
 */
export function livePipeline(ref: RunRef): RunRef {
  const file = ref.output?.files.find((f) => f.path === "pipeline.json");
  if (!file) return ref;
  try {
    const parsed = JSON.parse(file.content) as { pipeline?: { name?: unknown } };
    return typeof parsed.pipeline?.name === "string" ? { ...ref, pipeline: parsed.pipeline.name } : ref;
  } catch {
    return ref;
  }
}

const status: ProviderOperate<AwsLiveClient>["status"] = async (client, ref0, run) => {
  const ref = livePipeline(ref0);
  return toPipelineRun(await readExecution(client, ref.pipeline, run));
};

/** --branch: CodePipeline runs the branch its source action names; StartPipelineExecution cannot choose another. */
function checkBranch(decl: Obj, branch: string | undefined): void {
  if (branch === undefined) return;
  const source = objs(objs(decl.stages)[0]?.actions).find((a) => category(a) === "Source");
  const own = source && isObject(source.configuration) ? s(source.configuration.BranchName) : undefined;
  if (own === undefined || own === branch) return;
  throw new PipeglotError(
    `--branch ${branch}: CodePipeline runs the branch its source action names (${own}); StartPipelineExecution cannot run another — push to ${branch} to start a run through the pipeline's push trigger, or leave --branch out`,
    "config",
  );
}

function checkVariables(decl: Obj, pipeline: string, vars: Record<string, string>): void {
  const declared = objs(decl.variables).map((v) => s(v.name) ?? "");
  for (const name of Object.keys(vars))
    if (!declared.includes(name))
      throw new PipeglotError(`--var ${name}: pipeline ${pipeline} declares no variable ${name} (it has: ${declared.join(", ") || "none"})`, "usage");
}

const start: ProviderOperate<AwsLiveClient>["start"] = async (client, ref0, opts) => {
  const ref = livePipeline(ref0);
  const decl = await declaration(client, ref.pipeline);
  checkBranch(decl, opts.branch);
  const vars = opts.variables ?? {};
  checkVariables(decl, ref.pipeline, vars);
  const variables = Object.entries(vars).map(([name, value]) => ({ name, value }));
  const out = await onPipeline(ref.pipeline, () =>
    client.request("codepipeline", "StartPipelineExecution", { name: ref.pipeline, ...(variables.length ? { variables } : {}) }, ref.pipeline),
  );
  return status(client, ref, s(out.pipelineExecutionId));
};

/** The definition stage named on the command line, as declared live (the Source stage is not one). */
async function liveStage(client: AwsLiveClient, ref: RunRef, name: string): Promise<Obj> {
  const stages = definitionStages(await declaration(client, ref.pipeline)).map((st) => ({ ...st, name: s(st.name) ?? "" }));
  // A definition's stage name CodePipeline does not allow ("Build & Test") is the compiler's ("Build-Test").
  const native = STAGE_NAME.sanitize(name);
  return findStage(stages, stages.some((st) => st.name.toLowerCase() === name.toLowerCase()) ? name : native, ref.pipeline);
}

const decide: ProviderOperate<AwsLiveClient>["decide"] = async (client, ref0, opts) => {
  const ref = livePipeline(ref0);
  const stage = await liveStage(client, ref, opts.stage);
  const stageName = s(stage.name)!;
  const gate = objs(stage.actions).find((a) => category(a) === "Approval");
  if (!gate) throw new PipeglotError(`stage ${stageName} of ${ref.pipeline} has no approval gate (the definition's approval:)`, "not-found");
  const actionName = s(gate.name)!;
  const st = (await pipelineState(client, ref.pipeline)).find((x) => x.stageName === stageName) ?? {};
  const latest = isObject(st.latestExecution) ? st.latestExecution : {};
  const action = objs(st.actionStates).find((a) => a.actionName === actionName);
  const x = action && isObject(action.latestExecution) ? action.latestExecution : {};
  const token = s(x.token);
  if (!token || x.status !== "InProgress") throw noPendingApproval(ref.pipeline, stageName, await whereRunIs(client, ref));
  const runId = s(latest.pipelineExecutionId);
  if (opts.run && runId && opts.run !== runId) throw noPendingApproval(ref.pipeline, stageName, `run ${opts.run} is not there; run ${runId} is`);
  const summary = opts.comment ?? `${opts.decision === "approve" ? "Approved" : "Rejected"} with pipeglot`;
  try {
    await client.request(
      "codepipeline",
      "PutApprovalResult",
      { pipelineName: ref.pipeline, stageName, actionName, token, result: { summary, status: opts.decision === "approve" ? "Approved" : "Rejected" } },
      `${ref.pipeline} ${stageName}`,
    );
  } catch (e) {
    if (codeOf(e) === "ApprovalAlreadyCompletedException" || codeOf(e) === "InvalidApprovalTokenException")
      throw new PipeglotError(`the approval before stage ${stageName} of ${ref.pipeline} was decided by someone else meanwhile`, "conflict", { cause: e });
    throw e;
  }
  return status(client, ref, runId);
};

async function whereRunIs(client: AwsLiveClient, ref: RunRef): Promise<string | undefined> {
  try {
    const r = await status(client, ref);
    const at = r.stages.find((x) => x.state !== "succeeded" && x.state !== "skipped");
    return `the latest run, ${r.id}, is ${r.state}${at && r.state !== "succeeded" ? ` at ${at.name}` : ""}`;
  } catch {
    return undefined;
  }
}

const hold: ProviderOperate<AwsLiveClient>["hold"] = async (client, ref0, opts) => {
  const ref = livePipeline(ref0);
  const stage = await liveStage(client, ref, opts.stage);
  const stageName = s(stage.name)!;
  const input = { pipelineName: ref.pipeline, stageName, transitionType: "Inbound" };
  await onPipeline(ref.pipeline, () =>
    opts.hold
      ? client.request("codepipeline", "DisableStageTransition", { ...input, reason: cleanDisabledReason(opts.reason ?? "") }, `${ref.pipeline} ${stageName}`)
      : client.request("codepipeline", "EnableStageTransition", input, `${ref.pipeline} ${stageName}`),
  );
};

export const operate: ProviderOperate<AwsLiveClient> = { start, status, decide, hold };
export { toPipelineRun } from "./map.js";
