/** Triggers: `trigger`, `pr`, `schedules`, and concurrency (`batch`, `lockBehavior`). */
import type { FilterIR } from "@pipeglot/schema";
import type { AzFilter, AzPipeline, AzPr, AzSchedule, AzTrigger } from "../native/pipeline.js";
import type { Ctx } from "./context.js";

/**
 * Azure's filter alphabet (the service schema's branchFilter, used for branches, tags and paths):
 * no `[...]` character classes, no `~ ^ : \\` or spaces, no leading, trailing or double `/`.
 */
const AZ_FILTER = /^[^/~^: [\]\\]+(\/[^/~^: [\]\\]+)*$/;

/** A filter with the patterns Azure can express; each one it cannot is an error at `ptr` and is left out. */
function filter(ctx: Ctx, f: FilterIR, ptr: string): AzFilter | undefined {
  const keep = (globs: string[]) =>
    globs.filter((g) => {
      if (AZ_FILTER.test(g)) return true;
      ctx.report(
        "PG-ADO-FILTER-GLOB",
        ptr,
        `Azure trigger filters cannot express ${JSON.stringify(g)}: no [...] character classes, no ~ ^ : \\ or spaces, no leading, trailing or double /`,
      );
      return false;
    });
  const include = keep(f.include);
  const exclude = keep(f.exclude);
  if (!include.length && !exclude.length) return undefined;
  const out: AzFilter = {};
  if (include.length) out.include = include;
  if (exclude.length) out.exclude = exclude;
  return out;
}

export function compileTriggers(ctx: Ctx): Pick<AzPipeline, "trigger" | "pr" | "schedules" | "lockBehavior"> {
  const { ir } = ctx;
  const t = ir.triggers;
  const out: Pick<AzPipeline, "trigger" | "pr" | "schedules" | "lockBehavior"> = {};
  // Azure runs CI on every branch when `trigger` is absent: always write it.
  if (t.push) {
    const tr: AzTrigger = {};
    if (ir.concurrency === "supersede") tr.batch = true;
    const b = filter(ctx, t.push.branches, "/triggers/push/branches");
    if (b) tr.branches = b;
    const tags = filter(ctx, t.push.tags, "/triggers/push/tags");
    if (tags) tr.tags = tags;
    const p = filter(ctx, t.push.paths, "/triggers/push/paths");
    if (p) tr.paths = p;
    if (!b && !tags) tr.branches = { exclude: ["*"] };
    out.trigger = tr;
  } else out.trigger = "none";
  if (t.pullRequest) {
    const pr: AzPr = {};
    const b = filter(ctx, t.pullRequest.branches, "/triggers/pullRequest/branches");
    if (b) pr.branches = b;
    const p = filter(ctx, t.pullRequest.paths, "/triggers/pullRequest/paths");
    if (p) pr.paths = p;
    out.pr = pr;
    const repoType = ctx.target.repositoryType ?? (ir.source.provider === "azure-repos" ? "tfsgit" : undefined);
    if (repoType === "tfsgit")
      ctx.report(
        "PG-ADO-PR-AZREPOS",
        "/triggers/pullRequest",
        "pr: is ignored for Azure Repos Git; add a build-validation branch policy on the target branches",
        "configure Branch policies → Build validation in Azure Repos",
      );
    const def = ["opened", "updated", "reopened"];
    const ev = t.pullRequest.events;
    if (ev.length !== def.length || ev.some((e) => !def.includes(e)))
      ctx.report("PG-ADO-PR-EVENTS", "/triggers/pullRequest/events", `Azure builds every PR update; the event filter [${ev.join(", ")}] is dropped`);
  } else out.pr = "none";
  if (t.schedules.length)
    out.schedules = t.schedules.map((s, i): AzSchedule => {
      const sc: AzSchedule = { cron: s.cron, displayName: `pipeglot ${s.cron}` };
      const b = filter(ctx, { include: s.branches, exclude: [] }, `/triggers/schedules/${i}/branches`);
      if (b) sc.branches = b;
      sc.always = s.always;
      return sc;
    });
  if (!t.manual)
    ctx.report("PG-ADO-MANUAL-DISABLED", "/triggers/manual", "anyone with queue permission can run an Azure pipeline by hand; manual: false is not enforced");
  if (ir.concurrency === "queue") out.lockBehavior = "sequential";
  else if (ir.concurrency === "supersede") {
    out.lockBehavior = "runLatest";
    ctx.report(
      "PG-ADO-CONCURRENCY",
      "/concurrency",
      "supersede is emulated with trigger.batch: true and lockBehavior: runLatest; runLatest only acts on resources with an Exclusive Lock check",
    );
  }
  return out;
}
