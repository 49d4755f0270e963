/** The pipeline trigger of the source action (or its change detection) → neutral triggers. */
import type { FilterIR, PullRequestEvent, TriggersIR } from "@pipeglot/schema";
import { isObject } from "@pipeglot/core";
import type { FilterCriteria, GitConfiguration } from "../native/codepipeline.js";
import { str, type DeclarationContext } from "./context.js";
import type { ImportedSource } from "./source.js";

const EVENTS: Record<string, PullRequestEvent[]> = { OPEN: ["opened", "reopened"], UPDATED: ["updated"], CLOSED: ["closed"] };

const filter = (f0: unknown): FilterIR => {
  const f = (isObject(f0) ? f0 : {}) as FilterCriteria;
  return { include: (Array.isArray(f.includes) ? f.includes : []).map(str), exclude: (Array.isArray(f.excludes) ? f.excludes : []).map(str) };
};

export function importTriggers(cx: DeclarationContext, src: ImportedSource): TriggersIR {
  const triggers: TriggersIR = { schedules: [], manual: true };
  const { first } = src;
  const trig = (cx.inp.decl.triggers ?? []).find(
    (t) => isObject(t) && isObject(t.gitConfiguration) && (!first || str(t.gitConfiguration.sourceActionName) === str(first.a.name)),
  );
  if (trig) {
    const g = trig.gitConfiguration;
    cx.sm.set("/triggers", cx.map, cx.P("triggers"));
    importPush(cx, g, triggers);
    importPullRequest(cx, g, triggers);
  } else if (src.detectChanges && first) {
    triggers.push = { branches: { include: [src.source.branch], exclude: [] }, tags: { include: [], exclude: [] }, paths: { include: [], exclude: [] } };
  }
  return triggers;
}

/** The push filters, merged into one push trigger. */
function importPush(cx: DeclarationContext, g: GitConfiguration, triggers: TriggersIR): void {
  const pushes = (g.push ?? []).filter(isObject);
  if (!pushes.length) return;
  const branches: FilterIR = { include: [], exclude: [] };
  const tags: FilterIR = { include: [], exclude: [] };
  let paths: FilterIR = { include: [], exclude: [] };
  for (const p of pushes) {
    const b = filter(p.branches);
    branches.include.push(...b.include);
    branches.exclude.push(...b.exclude);
    const t = filter(p.tags);
    tags.include.push(...t.include);
    tags.exclude.push(...t.exclude);
    const fp = filter(p.filePaths);
    if ((fp.include.length || fp.exclude.length) && !(paths.include.length || paths.exclude.length)) paths = fp;
  }
  if (pushes.filter((p) => p.branches || p.filePaths).length > 1)
    cx.report(
      "PG-AWS-IMPORT-LOSSY",
      cx.map,
      cx.P("triggers"),
      "several push filters merged into one push trigger (their file paths no longer pair with their branches)",
      "/triggers/push",
    );
  triggers.push = { branches, tags, paths };
}

/** The first pull-request filter (the others are dropped). */
function importPullRequest(cx: DeclarationContext, g: GitConfiguration, triggers: TriggersIR): void {
  const prs = (g.pullRequest ?? []).filter(isObject);
  if (!prs.length) return;
  const pr = prs[0]!;
  const ev = new Set((Array.isArray(pr.events) ? pr.events : ["OPEN", "UPDATED"]).flatMap((e: unknown) => EVENTS[str(e)] ?? []));
  triggers.pullRequest = {
    branches: filter(pr.branches),
    paths: filter(pr.filePaths),
    events: (["opened", "updated", "reopened", "closed"] as const).filter((e) => ev.has(e)),
  };
  if (prs.length > 1)
    cx.report("PG-AWS-IMPORT-LOSSY", cx.map, cx.P("triggers"), `${prs.length - 1} extra pull-request filter(s) dropped`, "/triggers/pullRequest");
}
