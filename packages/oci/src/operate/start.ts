/**
 * `pipeglot run` on OCI: CreateBuildRun of the build pipeline, the run's variables as
 * buildRunArguments. Only the definition's overridable variables may be set; --branch must be the
 * branch the BUILD stages build (a build run of another branch needs that branch's commit).
 */
import { randomUUID } from "node:crypto";
import { PipeglotError, type PipelineRun, type StartRunOptions } from "@pipeglot/core";
import { TAG } from "../conventions.js";
import { isObj, runs, str, tagsOf } from "./calls.js";
import type { OperateContext } from "./context.js";
import { toRun } from "./model.js";

function parameters(ctx: OperateContext): { overridable: string[]; fixed: Set<string> } {
  const b = ctx.live.build;
  const items = isObj(b.buildPipelineParameters) && Array.isArray(b.buildPipelineParameters.items) ? b.buildPipelineParameters.items : [];
  const fixed = new Set((tagsOf(b)[TAG.fixedVariables] ?? "").split(",").filter(Boolean));
  const names = items.flatMap((i) => (isObj(i) && typeof i.name === "string" && !i.name.startsWith("PIPEGLOT_") ? [i.name] : []));
  return { overridable: names.filter((n) => !fixed.has(n)), fixed };
}

function sourceBranch(ctx: OperateContext): string | undefined {
  for (const s of ctx.live.buildStages) {
    const items = isObj(s.buildSourceCollection) && Array.isArray(s.buildSourceCollection.items) ? s.buildSourceCollection.items : [];
    const first = items.find(isObj);
    if (first && str(first.branch)) return str(first.branch);
  }
  return undefined;
}

function checkOptions(ctx: OperateContext, opts: StartRunOptions): void {
  const branch = sourceBranch(ctx);
  if (opts.branch !== undefined && opts.branch !== branch)
    throw new PipeglotError(
      `--branch ${opts.branch} is not supported on OCI: a build run builds the branch of its build source (${branch ?? "none"}); push to ${opts.branch} to let its trigger start a run there`,
      "config",
    );
  const { overridable, fixed } = parameters(ctx);
  for (const k of Object.keys(opts.variables ?? {})) {
    if (fixed.has(k))
      throw new PipeglotError(`variable ${k} of ${ctx.ref.pipeline} is not overridable (overridable: ${overridable.join(", ") || "none"})`, "config");
    if (!overridable.includes(k))
      throw new PipeglotError(`${ctx.ref.pipeline} has no variable ${k} to set (overridable: ${overridable.join(", ") || "none"})`, "config");
  }
}

export async function startRun(ctx: OperateContext, opts: StartRunOptions): Promise<PipelineRun> {
  checkOptions(ctx, opts);
  const items = Object.entries(opts.variables ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => ({ name, value }));
  const details = { buildPipelineId: String(ctx.live.build.id), ...(items.length ? { buildRunArguments: { items } } : {}) };
  const buildRun = await runs(ctx.client, `start a build run of ${ctx.ref.pipeline}`, (api) => api.createBuildRun(details, randomUUID()));
  return toRun(ctx.ref.pipeline, ctx.layout, { buildRun }, ctx.live.deploy !== undefined);
}
