/**
 * Triggers (CreateTriggerDetails): one for pushes, one for pull requests; one TRIGGER_BUILD_PIPELINE
 * action per branch filter (headRef for pushes, baseRef for pull-request targets), file filters.
 */
import { REF, TAG } from "../conventions.js";
import type { CreateTriggerDetails, TriggerEvent, TriggerSource } from "../native/resources.js";
import { connectionId, connectionTypeOf } from "./build-pipeline.js";
import type { Context } from "./context.js";

const PR_EVENTS: Record<string, TriggerEvent> = {
  opened: "PULL_REQUEST_CREATED",
  updated: "PULL_REQUEST_UPDATED",
  reopened: "PULL_REQUEST_REOPENED",
  closed: "PULL_REQUEST_MERGED",
};

type TriggerIR = Context["ir"]["triggers"];

/** What every trigger of the pipeline shares. */
function triggerBase(ctx: Context, kind: string, description: string) {
  return {
    triggerSource: connectionTypeOf(ctx),
    projectId: ctx.projectId(),
    displayName: `${ctx.ir.name}-${kind}`,
    description,
    connectionId: connectionId(ctx),
  };
}

function warnWildcard(ctx: Context, b: string, path: string): void {
  if (/[*?[]/.test(b))
    ctx.report("PG-OCI-TRIGGER-WILDCARD", path, `branch filter "${b}" is a glob; whether OCI trigger filters accept wildcards is unverified`);
}

/** One action per branch: `ref` is headRef (pushes) or baseRef (pull-request targets). */
function branchActions(
  ctx: Context,
  branches: readonly string[],
  ref: "headRef" | "baseRef",
  events: TriggerEvent[],
  paths: { include: string[]; exclude: string[] },
) {
  const source: TriggerSource = connectionTypeOf(ctx);
  return branches.map((b) => ({
    type: "TRIGGER_BUILD_PIPELINE" as const,
    buildPipelineId: REF.buildPipeline,
    filter: {
      triggerSource: source,
      events,
      include: { [ref]: b, ...(paths.include.length ? { fileFilter: { filePaths: [...paths.include] } } : {}) },
      ...(paths.exclude.length ? { exclude: { fileFilter: { filePaths: [...paths.exclude] } } } : {}),
    },
  }));
}

function pushTrigger(ctx: Context, p: NonNullable<TriggerIR["push"]>): void {
  if (p.tags.include.length || p.tags.exclude.length)
    ctx.report(
      "PG-OCI-TRIGGER-TAGS",
      "/triggers/push/tags",
      `tag filter ${JSON.stringify([...p.tags.include, ...p.tags.exclude.map((x) => `!${x}`)])} is dropped: OCI triggers filter branches only; tag pushes do not start the pipeline`,
    );
  if (p.branches.exclude.length)
    ctx.report(
      "PG-OCI-BRANCH-EXCLUDE",
      "/triggers/push/branches",
      `branch excludes ${JSON.stringify(p.branches.exclude)} are dropped: OCI trigger filters exclude files only`,
    );
  p.branches.include.forEach((b, i) => warnWildcard(ctx, b, `/triggers/push/branches/${i}`));
  if (!p.branches.include.length) return;
  const trigger: CreateTriggerDetails = {
    ...triggerBase(ctx, "push", `Pushes to ${p.branches.include.join(", ")}`),
    actions: branchActions(ctx, p.branches.include, "headRef", ["PUSH"], p.paths),
    freeformTags: ctx.tags({ [TAG.kind]: "push-trigger" }),
  };
  ctx.emitJson("triggers/push.json", "oci.CreateTriggerDetails", trigger);
}

/** The OCI events of the pull-request events asked for (what has none is reported). */
function pullRequestEvents(ctx: Context, pr: NonNullable<TriggerIR["pullRequest"]>): TriggerEvent[] {
  const events: TriggerEvent[] = [];
  for (const e of pr.events) {
    if (e === "closed")
      ctx.report(
        "PG-OCI-PR-CLOSED",
        "/triggers/pullRequest/events",
        "pull-request event `closed` becomes PULL_REQUEST_MERGED: a pull request closed without merging no longer starts the pipeline",
      );
    if (e === "reopened" && connectionTypeOf(ctx) === "BITBUCKET_CLOUD") {
      ctx.report("PG-OCI-PR-EVENT", "/triggers/pullRequest/events", "Bitbucket Cloud triggers have no PULL_REQUEST_REOPENED event; `reopened` is dropped");
      continue;
    }
    const ev = PR_EVENTS[e]!;
    if (!events.includes(ev)) events.push(ev);
  }
  return events;
}

function pullRequestTrigger(ctx: Context, pr: NonNullable<TriggerIR["pullRequest"]>): void {
  if (pr.branches.exclude.length)
    ctx.report(
      "PG-OCI-BRANCH-EXCLUDE",
      "/triggers/pullRequest/branches",
      `target branch excludes ${JSON.stringify(pr.branches.exclude)} are dropped: OCI trigger filters exclude files only`,
    );
  pr.branches.include.forEach((b, i) => warnWildcard(ctx, b, `/triggers/pullRequest/branches/${i}`));
  const events = pullRequestEvents(ctx, pr);
  if (!pr.branches.include.length || !events.length) return;
  const trigger: CreateTriggerDetails = {
    ...triggerBase(ctx, "pull-request", `Pull requests into ${pr.branches.include.join(", ")}`),
    actions: branchActions(ctx, pr.branches.include, "baseRef", events, pr.paths),
    freeformTags: ctx.tags({ [TAG.kind]: "pull-request-trigger" }),
  };
  ctx.emitJson("triggers/pull-request.json", "oci.CreateTriggerDetails", trigger);
}

export function compileTriggers(ctx: Context): void {
  const t = ctx.ir.triggers;
  if (t.push) pushTrigger(ctx, t.push);
  if (t.pullRequest) pullRequestTrigger(ctx, t.pullRequest);
  t.schedules.forEach((s, i) =>
    ctx.report(
      "PG-OCI-SCHEDULE",
      `/triggers/schedules/${i}`,
      `schedule "${s.cron}" is dropped: OCI DevOps has no scheduled triggers (an external scheduler can call CreateBuildRun)`,
    ),
  );
  if (!t.manual) ctx.report("PG-OCI-MANUAL-ONLY", "/triggers/manual", "`manual: false` cannot be enforced: OCI build pipelines can always be started by hand");
}
