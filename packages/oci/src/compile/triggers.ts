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

export function compileTriggers(ctx: Context): void {
  const t = ctx.ir.triggers;
  const source: TriggerSource = connectionTypeOf(ctx);
  const base = (kind: string, description: string) => ({
    triggerSource: source,
    projectId: ctx.projectId(),
    displayName: `${ctx.ir.name}-${kind}`,
    description,
    connectionId: connectionId(ctx),
  });
  const wildcard = (b: string, path: string) => {
    if (/[*?[]/.test(b))
      ctx.report("PG-OCI-TRIGGER-WILDCARD", path, `branch filter "${b}" is a glob; whether OCI trigger filters accept wildcards is unverified`);
  };

  if (t.push) {
    const p = t.push;
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
    p.branches.include.forEach((b, i) => wildcard(b, `/triggers/push/branches/${i}`));
    if (p.branches.include.length) {
      const trigger: CreateTriggerDetails = {
        ...base("push", `Pushes to ${p.branches.include.join(", ")}`),
        actions: p.branches.include.map((b) => ({
          type: "TRIGGER_BUILD_PIPELINE",
          buildPipelineId: REF.buildPipeline,
          filter: {
            triggerSource: source,
            events: ["PUSH"],
            include: { headRef: b, ...(p.paths.include.length ? { fileFilter: { filePaths: [...p.paths.include] } } : {}) },
            ...(p.paths.exclude.length ? { exclude: { fileFilter: { filePaths: [...p.paths.exclude] } } } : {}),
          },
        })),
        freeformTags: ctx.tags({ [TAG.kind]: "push-trigger" }),
      };
      ctx.emitJson("triggers/push.json", "oci.CreateTriggerDetails", trigger);
    }
  }

  if (t.pullRequest) {
    const pr = t.pullRequest;
    if (pr.branches.exclude.length)
      ctx.report(
        "PG-OCI-BRANCH-EXCLUDE",
        "/triggers/pullRequest/branches",
        `target branch excludes ${JSON.stringify(pr.branches.exclude)} are dropped: OCI trigger filters exclude files only`,
      );
    pr.branches.include.forEach((b, i) => wildcard(b, `/triggers/pullRequest/branches/${i}`));
    const events: TriggerEvent[] = [];
    for (const e of pr.events) {
      if (e === "closed")
        ctx.report(
          "PG-OCI-PR-CLOSED",
          "/triggers/pullRequest/events",
          "pull-request event `closed` becomes PULL_REQUEST_MERGED: a pull request closed without merging no longer starts the pipeline",
        );
      if (e === "reopened" && source === "BITBUCKET_CLOUD") {
        ctx.report("PG-OCI-PR-EVENT", "/triggers/pullRequest/events", "Bitbucket Cloud triggers have no PULL_REQUEST_REOPENED event; `reopened` is dropped");
        continue;
      }
      const ev = PR_EVENTS[e]!;
      if (!events.includes(ev)) events.push(ev);
    }
    if (pr.branches.include.length && events.length) {
      const trigger: CreateTriggerDetails = {
        ...base("pull-request", `Pull requests into ${pr.branches.include.join(", ")}`),
        actions: pr.branches.include.map((b) => ({
          type: "TRIGGER_BUILD_PIPELINE",
          buildPipelineId: REF.buildPipeline,
          filter: {
            triggerSource: source,
            events,
            include: { baseRef: b, ...(pr.paths.include.length ? { fileFilter: { filePaths: [...pr.paths.include] } } : {}) },
            ...(pr.paths.exclude.length ? { exclude: { fileFilter: { filePaths: [...pr.paths.exclude] } } } : {}),
          },
        })),
        freeformTags: ctx.tags({ [TAG.kind]: "pull-request-trigger" }),
      };
      ctx.emitJson("triggers/pull-request.json", "oci.CreateTriggerDetails", trigger);
    }
  }

  t.schedules.forEach((s, i) =>
    ctx.report(
      "PG-OCI-SCHEDULE",
      `/triggers/schedules/${i}`,
      `schedule "${s.cron}" is dropped: OCI DevOps has no scheduled triggers (an external scheduler can call CreateBuildRun)`,
    ),
  );
  if (!t.manual) ctx.report("PG-OCI-MANUAL-ONLY", "/triggers/manual", "`manual: false` cannot be enforced: OCI build pipelines can always be started by hand");
}
