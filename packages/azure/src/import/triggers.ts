/** `trigger`, `pr` and `schedules` → neutral triggers (Azure's defaults when a key is absent); batch → supersede. */
import type { TriggersIR } from "@pipeglot/schema";
import { isObject } from "@pipeglot/core";
import { readFilter } from "../native/pipeline.js";
import { report, type ImportCtx } from "./context.js";

export function importTriggers(ctx: ImportCtx, doc: Record<string, unknown>): { triggers: TriggersIR; supersede: boolean } {
  const t: TriggersIR = { schedules: [], manual: true };
  let supersede = false;
  const tr = doc.trigger;
  if (tr === undefined) t.push = { branches: { include: ["*"], exclude: [] }, tags: { include: [], exclude: [] }, paths: { include: [], exclude: [] } };
  else if (tr !== "none" && tr !== null && tr !== false) {
    if (Array.isArray(tr) || typeof tr === "string")
      t.push = { branches: readFilter(tr), tags: { include: [], exclude: [] }, paths: { include: [], exclude: [] } };
    else if (isObject(tr)) {
      const branches = readFilter(tr.branches);
      const tags = readFilter(tr.tags);
      // Our compiler writes `branches: {exclude: ["*"]}` for a tags-only trigger.
      if (tags.include.length && branches.include.length === 0 && branches.exclude.length === 1 && branches.exclude[0] === "*") branches.exclude = [];
      t.push = { branches, tags, paths: readFilter(tr.paths) };
      if (tr.batch === true || tr.batch === "true") supersede = true;
    }
  }
  const pr = doc.pr;
  if (pr === undefined)
    t.pullRequest = { branches: { include: ["*"], exclude: [] }, paths: { include: [], exclude: [] }, events: ["opened", "updated", "reopened"] };
  else if (pr !== "none" && pr !== null && pr !== false) {
    if (Array.isArray(pr) || typeof pr === "string")
      t.pullRequest = { branches: readFilter(pr), paths: { include: [], exclude: [] }, events: ["opened", "updated", "reopened"] };
    else if (isObject(pr)) {
      const branches = readFilter(pr.branches);
      if (!branches.include.length && !branches.exclude.length) branches.include = ["*"];
      t.pullRequest = { branches, paths: readFilter(pr.paths), events: ["opened", "updated", "reopened"] };
    }
  }
  if (Array.isArray(doc.schedules))
    for (const s of doc.schedules) {
      if (!isObject(s) || typeof s.cron !== "string") continue;
      t.schedules.push({ cron: s.cron, branches: readFilter(s.branches).include, always: s.always === true || s.always === "true" });
      if (readFilter(s.branches).exclude.length) report(ctx, "PG-ADO-IMPORT-LOSSY", "schedule branch excludes dropped", s);
    }
  void ctx;
  return { triggers: t, supersede };
}
