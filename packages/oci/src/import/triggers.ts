/** Triggers (their actions' filters) → neutral triggers; without stages or triggers, a push to the branch. */
import type { TriggersIR } from "@pipeglot/schema";
import { isObject } from "@pipeglot/core";
import { str, type Obj } from "./context.js";
import type { Item } from "./files.js";

const PR_EVENTS: Record<string, "opened" | "updated" | "reopened" | "closed"> = {
  PULL_REQUEST_CREATED: "opened",
  PULL_REQUEST_UPDATED: "updated",
  PULL_REQUEST_REOPENED: "reopened",
  PULL_REQUEST_MERGED: "closed",
};

export function importTriggers(items: Item[], branch: string, hasStages: boolean): TriggersIR {
  const triggers = items.filter((i) => i.kind === "trigger");
  if (!hasStages && triggers.length === 0)
    return {
      push: { branches: { include: [branch], exclude: [] }, tags: { include: [], exclude: [] }, paths: { include: [], exclude: [] } },
      schedules: [],
      manual: true,
    };
  const out: TriggersIR = { schedules: [], manual: true };
  for (const t of triggers) {
    for (const a of (Array.isArray(t.value.actions) ? t.value.actions : []) as Obj[]) {
      const f = isObject(a.filter) ? a.filter : {};
      const events = (Array.isArray(f.events) ? f.events : []) as string[];
      const inc = isObject(f.include) ? f.include : {};
      const exc = isObject(f.exclude) ? f.exclude : {};
      const paths = (o: Obj) => (isObject(o.fileFilter) && Array.isArray(o.fileFilter.filePaths) ? (o.fileFilter.filePaths as string[]) : []);
      if (events.includes("PUSH")) {
        out.push ??= { branches: { include: [], exclude: [] }, tags: { include: [], exclude: [] }, paths: { include: paths(inc), exclude: paths(exc) } };
        const h = str(inc.headRef);
        if (h && !out.push.branches.include.includes(h)) out.push.branches.include.push(h);
      }
      const pr = events.map((e) => PR_EVENTS[e]).filter((e): e is NonNullable<typeof e> => !!e);
      if (pr.length) {
        out.pullRequest ??= { branches: { include: [], exclude: [] }, paths: { include: paths(inc), exclude: paths(exc) }, events: [] };
        for (const e of ["opened", "updated", "reopened", "closed"] as const)
          if (pr.includes(e) && !out.pullRequest.events.includes(e)) out.pullRequest.events.push(e);
        const b = str(inc.baseRef);
        if (b && !out.pullRequest.branches.include.includes(b)) out.pullRequest.branches.include.push(b);
      }
    }
  }
  return out;
}
