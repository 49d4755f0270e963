/**
 * Neutral triggers → BuildTriggers: one per event kind (push on branches, push on tags, pull
 * request, manual), each with the first part's build inline; one manual trigger per later part
 * (gated by approvalConfig or disabled).
 */
import { isObject, shortHash, toJson } from "@pipeglot/core";
import type { FilterIR, PipelineIR } from "@pipeglot/schema";
import { globsToRegex } from "../glob.js";
import type { Build } from "../native/build.js";
import type { BuildTrigger, GitRepoSource, PullRequestFilter, PushFilter } from "../native/trigger.js";
import { HASH_TAG, OWNER_TAG, PIPELINE_TAG } from "../names.js";
import type { Ctx } from "./context.js";
import { mergeChecked, TRIGGER_SHAPE } from "./native-shape.js";

type EventKind = "push" | "tag" | "pr" | "manual";

interface Source {
  /** Sets the event part of a trigger. */
  event(t: BuildTrigger, kind: "push" | "pr", filter: PushFilter | PullRequestFilter): void;
  manual: GitRepoSource;
}

export function sourceOf(ctx: Ctx): Source {
  const ir = ctx.ir;
  const gcp = ir.targets.gcp ?? {};
  const repo = ir.source.repository;
  const [owner, ...rest] = repo.split("/");
  const name = rest.join("/") || owner!;
  const provider = ir.source.provider ?? "github";
  const ref = `refs/heads/${ir.source.branch}`;
  if (gcp.connection) {
    const conn = gcp.connection.startsWith("projects/")
      ? gcp.connection
      : `projects/${gcp.project ?? "PROJECT"}/locations/${gcp.region ?? "global"}/connections/${gcp.connection}`;
    const repository = `${conn}/repositories/${name.replace(/\//g, "-")}`;
    const repoType = provider === "gitlab" ? "GITLAB" : provider === "bitbucket" ? "BITBUCKET_CLOUD" : "GITHUB";
    return {
      event: (t, kind, f) =>
        (t.repositoryEventConfig = kind === "push" ? { repository, push: f as PushFilter } : { repository, pullRequest: f as PullRequestFilter }),
      manual: { repository, ref, repoType },
    };
  }
  if (provider !== "github")
    ctx.report(
      "PG-GCB-SOURCE",
      "/source/provider",
      `the repository ${repo} is on ${provider}; without targets.gcp.connection (a 2nd-gen connection) the triggers assume GitHub`,
    );
  if (!rest.length) ctx.report("PG-GCB-SOURCE", "/source/repository", `the repository ${JSON.stringify(repo)} is not owner/name`);
  return {
    event: (t, kind, f) => (t.github = kind === "push" ? { owner, name, push: f as PushFilter } : { owner, name, pullRequest: f as PullRequestFilter }),
    manual: { uri: `https://github.com/${owner}/${name}`, ref, repoType: "GITHUB" },
  };
}

function refFilter(ctx: Ctx, f: FilterIR, path: string, kind: "branch" | "tag"): { regex: string; invert: boolean } | undefined {
  if (f.include.length) {
    if (f.exclude.length)
      ctx.report(
        kind === "branch" ? "PG-GCB-BRANCH-EXCLUDE-DROPPED" : "PG-GCB-TAG-EXCLUDE-DROPPED",
        path,
        `a trigger takes one ${kind} regex: the excludes ${f.exclude.join(", ")} are dropped (the includes ${f.include.join(", ")} are kept)`,
      );
    return { regex: globsToRegex(f.include), invert: false };
  }
  if (f.exclude.length) return { regex: globsToRegex(f.exclude), invert: true };
  return undefined;
}

interface TriggerPlan {
  /** Event triggers of part 0 (without name/build yet). */
  events: { kind: EventKind; trigger: Omit<BuildTrigger, "name"> }[];
}

export function eventTriggers(ctx: Ctx, src: Source): TriggerPlan["events"] {
  const ir = ctx.ir;
  const t = ir.triggers;
  const out: TriggerPlan["events"] = [];
  const paths = (p: FilterIR, tr: Omit<BuildTrigger, "name">) => {
    if (p.include.length) tr.includedFiles = [...p.include];
    if (p.exclude.length) tr.ignoredFiles = [...p.exclude];
  };
  if (t.push) {
    const b = refFilter(ctx, t.push.branches, "/triggers/push/branches", "branch");
    if (b) {
      const tr: Omit<BuildTrigger, "name"> = {};
      src.event(tr as BuildTrigger, "push", { branch: b.regex, ...(b.invert ? { invertRegex: true } : {}) });
      paths(t.push.paths, tr);
      out.push({ kind: "push", trigger: tr });
    }
    const g = refFilter(ctx, t.push.tags, "/triggers/push/tags", "tag");
    if (g) {
      const tr: Omit<BuildTrigger, "name"> = {};
      src.event(tr as BuildTrigger, "push", { tag: g.regex, ...(g.invert ? { invertRegex: true } : {}) });
      paths(t.push.paths, tr);
      out.push({ kind: "tag", trigger: tr });
    }
  }
  if (t.pullRequest) {
    const pr = t.pullRequest;
    const b = refFilter(ctx, pr.branches, "/triggers/pullRequest/branches", "branch") ?? { regex: ".*", invert: false };
    const tr: Omit<BuildTrigger, "name"> = {};
    src.event(tr as BuildTrigger, "pr", { branch: b.regex, ...(b.invert ? { invertRegex: true } : {}) });
    paths(pr.paths, tr);
    out.push({ kind: "pr", trigger: tr });
    const def = ["opened", "updated", "reopened"];
    if (pr.events.length !== 3 || !def.every((e) => pr.events.includes(e as never)))
      ctx.report(
        "PG-GCB-PR-EVENTS",
        "/triggers/pullRequest/events",
        `pull-request triggers build opened and updated pull requests; the event filter ${pr.events.join(", ")} is not kept`,
      );
  }
  t.schedules.forEach((s, i) =>
    ctx.report(
      "PG-GCB-SCHEDULE",
      `/triggers/schedules/${i}`,
      `the schedule ${JSON.stringify(s.cron)} needs a Cloud Scheduler job that calls triggers.run; it is not written`,
    ),
  );
  // With no event trigger, a manual trigger is still the only resource that holds the build (and
  // what a scheduler calls), so it is written even when manual is false.
  if (t.manual || !out.length) out.push({ kind: "manual", trigger: { sourceToBuild: { ...src.manual } } });
  if (!t.manual)
    ctx.report(
      "PG-GCB-MANUAL",
      "/triggers/manual",
      `manual: false cannot be enforced: any Cloud Build trigger can be run by hand${out.length === 1 && out[0]!.kind === "manual" ? " (with no event trigger, the build is written as a manual trigger)" : ""}`,
    );
  return out;
}

/** Fill in the shared fields, merge native.gcp.trigger, and add the ownership and hash tags. */
export function finishTrigger(
  ctx: Ctx,
  name: string,
  base: Omit<BuildTrigger, "name">,
  build: Build,
  extra: { description?: string; disabled?: boolean; approval?: boolean },
): BuildTrigger {
  const ir: PipelineIR = ctx.ir;
  const gcp = ir.targets.gcp ?? {};
  let t: BuildTrigger = { name };
  if (extra.description) t.description = extra.description;
  t.tags = [OWNER_TAG, `${PIPELINE_TAG}${ir.name}`];
  if (extra.disabled) t.disabled = true;
  Object.assign(t, base);
  if (extra.approval) t.approvalConfig = { approvalRequired: true };
  if (gcp.serviceAccount)
    t.serviceAccount = gcp.serviceAccount.startsWith("projects/") ? gcp.serviceAccount : `projects/${gcp.project ?? "-"}/serviceAccounts/${gcp.serviceAccount}`;
  t.build = build;
  const frag = (ir.native?.gcp as Record<string, unknown> | undefined)?.trigger;
  if (isObject(frag)) t = mergeChecked(ctx, t, frag, TRIGGER_SHAPE, "/native/gcp/trigger");
  else if (frag !== undefined) ctx.report("PG-GCB-NATIVE-INVALID", "/native/gcp/trigger", "native.gcp left out: trigger must be a mapping");
  t.tags = [...(t.tags ?? []), `${HASH_TAG}${shortHash(toJson(t), 12)}`];
  return t;
}
