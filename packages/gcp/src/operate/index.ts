/**
 * Operating Cloud Build pipelines (issue #19) with the Node client: see ../live/README.md
 * ("Operating runs") for the calls each command makes and what is native.
 *
 *   run        RunBuildTrigger on the pipeline's manual trigger (branch, variables as substitutions)
 *   status     ListBuilds / GetBuild: the part-0 build and the builds chained after it
 *   approve    ApproveBuild (APPROVED / REJECTED) on the build waiting at the stage's gate trigger
 *   hold       the stage's gate trigger disabled (+ "Held: reason"); release enables it and runs it
 *              for the run held there
 */
import {
  findStage,
  noPendingApproval,
  noRuns,
  PipeglotError,
  runNotFound,
  type DecideOptions,
  type PipelineRun,
  type ProviderOperate,
  type RunRef,
  type StartRunOptions,
} from "@pipeglot/core";
import type { GcbLiveClient } from "../live/client.js";
import { toApiError } from "../live/errors.js";
import { substitutionKey } from "../names.js";
import { buildById, buildOf, chainOf, pipelineBuilds, type BuildInfo } from "./builds.js";
import { contextOf, type Context } from "./context.js";
import { hold } from "./hold.js";
import { stagesInOrder, type Raw } from "./layout.js";
import { runOf } from "./run-status.js";

/** One write: made once (a retried RunBuildTrigger could start two builds), its failure a one-line PipeglotError. */
async function once<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toApiError(e, what);
  }
}

async function start(c: GcbLiveClient, ref: RunRef, opts: StartRunOptions): Promise<PipelineRun> {
  const cx = await contextOf(c, ref);
  const name = cx.layout.manual;
  const trigger = name === undefined ? undefined : cx.triggers.get(name);
  if (!trigger || typeof trigger.id !== "string")
    throw new PipeglotError(`pipeline ${ref.pipeline} has no manual trigger ${name ?? `${ref.pipeline}-manual`} in ${c.parent}: apply it first`, "not-found");
  const substitutions = Object.fromEntries(Object.entries(opts.variables ?? {}).map(([k, v]) => [substitutionKey(k), v]));
  checkVariables(ref, trigger, Object.keys(opts.variables ?? {}));
  const source = { ...(opts.branch ? { branchName: opts.branch } : {}), substitutions };
  const [op] = await once(`run trigger ${name}`, () =>
    c.sdk.runBuildTrigger({ name: `${c.parent}/triggers/${trigger.id as string}`, source }, { retry: null }),
  );
  const meta = (op.metadata ?? {}) as { build?: unknown };
  const id = buildOf(meta.build).id;
  if (!id) throw new PipeglotError(`Cloud Build started no build for trigger ${name} (the operation ${op.name ?? ""} names none)`, "api");
  return status(c, ref, id, cx);
}

/** Variables the run sets must be substitutions of the pipeline's build (those of the definition). */
function checkVariables(ref: RunRef, trigger: Raw, names: string[]): void {
  const build = (trigger.build ?? {}) as { substitutions?: Record<string, unknown> };
  const known = Object.keys(build.substitutions ?? {}).filter((k) => k !== "_PIPEGLOT_BRANCH");
  const unknown = names.filter((n) => !known.includes(substitutionKey(n)));
  if (unknown.length)
    throw new PipeglotError(
      `pipeline ${ref.pipeline} has no variable ${unknown.join(", ")} (its variables: ${known.map((k) => k.slice(1)).join(", ") || "none"})`,
      "usage",
    );
}

async function status(c: GcbLiveClient, ref: RunRef, run?: string, known?: Context): Promise<PipelineRun> {
  const cx = known ?? (await contextOf(c, ref));
  const builds = await pipelineBuilds(c, ref.pipeline);
  const roots = builds.filter((b) => b.part === 0);
  let start: BuildInfo | undefined;
  if (run) {
    start = builds.find((b) => b.id === run) ?? (await buildById(c, run));
    if (!start || start.pipeline !== ref.pipeline)
      throw runNotFound(
        ref.pipeline,
        run,
        roots.map((b) => b.id),
      );
  } else {
    start = roots[0];
    if (!start) throw noRuns(ref.pipeline);
  }
  return runOf(cx.layout, await chainOf(c, builds, start), cx.triggers);
}

async function decide(c: GcbLiveClient, ref: RunRef, opts: DecideOptions): Promise<PipelineRun> {
  const cx = await contextOf(c, ref);
  const { part } = findStage(
    stagesInOrder(cx.layout).map((x) => ({ ...x, name: x.stage.name })),
    opts.stage,
    ref.pipeline,
  );
  const gate = part.gate;
  if (!gate || gate.stage.toLowerCase() !== opts.stage.toLowerCase() || !gate.approval)
    throw noPendingApproval(ref.pipeline, opts.stage, "the stage has no approval gate");
  const gateId = cx.triggers.get(gate.trigger)?.id;
  const builds = await pipelineBuilds(c, ref.pipeline);
  let waiting = builds.filter((b) => b.triggerId === gateId && b.approval?.state === "PENDING");
  if (opts.run) {
    const chains = await Promise.all(waiting.map(async (b) => ({ b, root: (await chainOf(c, builds, b))[0]!.id })));
    waiting = chains.filter((x) => x.root === opts.run || x.b.id === opts.run).map((x) => x.b);
  }
  if (!waiting.length) throw noPendingApproval(ref.pipeline, gate.stage, opts.run ? `run ${opts.run}` : undefined);
  if (waiting.length > 1)
    throw new PipeglotError(
      `${waiting.length} runs of ${ref.pipeline} wait at stage ${gate.stage} (builds ${waiting.map((b) => b.id).join(", ")}): name the run to decide`,
      "usage",
    );
  const target = waiting[0]!;
  const decision = opts.decision === "approve" ? "APPROVED" : "REJECTED";
  await once(`${opts.decision} build ${target.id}`, () =>
    c.sdk.approveBuild(
      { name: `${c.parent}/builds/${target.id}`, approvalResult: { decision, ...(opts.comment ? { comment: opts.comment } : {}) } },
      { retry: null },
    ),
  );
  return status(c, ref, target.id, cx);
}

export const operate: ProviderOperate<GcbLiveClient> = {
  start,
  status: (c, ref, run) => status(c, ref, run),
  decide,
  hold,
};
