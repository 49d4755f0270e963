/**
 * Job drafts → neutral stages (by pipeglot's stage tags, else build/deploy), in stage-index order;
 * jobs in pipeglot's order or topologically; conditions from the steps' guards; MANUAL_APPROVAL
 * stages → the approval or disabled transition of their stage; IR positions for the source map.
 */
import { topoSort, type StageIR } from "@pipeglot/schema";
import { TAG } from "../conventions.js";
import { assignConditions } from "./conditions.js";
import { num, str, tagsOf, type Importer, type JobDraft } from "./context.js";
import type { Item } from "./files.js";
import { compareText } from "@pipeglot/schema";

export function importStages(imp: Importer, jobs: JobDraft[], gates: Item[], ours: boolean, params: Map<string, string>): StageIR[] {
  const stageNames = [...new Set(jobs.map((j) => j.stageName))];
  const stageIndex = (n: string) => Math.min(...jobs.filter((j) => j.stageName === n).map((j) => j.stageIndex));
  stageNames.sort((a, b) => stageIndex(a) - stageIndex(b) || compareText(a, b));
  const stages: StageIR[] = stageNames.map((n) => {
    const js = jobs.filter((j) => j.stageName === n);
    const ordered = ours ? js.sort((a, b) => a.jobIndex - b.jobIndex) : topoOrder(js);
    const needs = js.find((j) => j.stageNeeds)?.stageNeeds ?? [];
    const stage: StageIR = {
      id: n,
      name: n,
      needs: needs.filter((x) => stageNames.includes(x)),
      transition: { enabled: true },
      jobs: ordered.map((j) => j.job),
    };
    assignConditions(stage, ordered, params);
    return stage;
  });
  applyGates(imp, stages, gates);
  stages.forEach((s, i) => {
    s.jobs.forEach((j, k) => {
      const d = jobs.find((x) => x.job === j)!;
      imp.mark(`/stages/${i}/jobs/${k}`, d.item);
      imp.mark(`/stages/${i}`, d.item);
      d.stepAt.forEach((at, n) => imp.mark(`/stages/${i}/jobs/${k}/steps/${n}`, at.item, at.ptr));
    });
  });
  return stages;
}

/** Gates → approval / disabled transition of their stage. */
function applyGates(imp: Importer, stages: StageIR[], gates: Item[]): void {
  for (const g of gates) {
    const t = tagsOf(g.value);
    const target = stages.find((s) => s.name === t[TAG.stage]) ?? stages.find((s) => s.name === "deploy");
    if (!target) {
      imp.report("PG-OCI-IMPORT-STAGE-TYPE", { item: g }, `MANUAL_APPROVAL stage "${str(g.value.displayName) ?? "?"}" guards no imported job; dropped`);
      continue;
    }
    const desc = str(g.value.description);
    if (t[TAG.gate] === "transition") target.transition = { enabled: false, ...(desc !== undefined ? { reason: desc } : {}) };
    else {
      target.approval = {
        approvers: (t[TAG.approvers] ?? "").split(",").filter(Boolean),
        notify: (t[TAG.notify] ?? "").split(",").filter(Boolean),
        ...(num(t[TAG.approvalTimeout]) !== undefined ? { timeoutSeconds: num(t[TAG.approvalTimeout])! } : {}),
        ...(desc !== undefined ? { instructions: desc } : {}),
      };
    }
  }
}

function topoOrder(js: JobDraft[]): JobDraft[] {
  const byName = new Map(js.map((j) => [j.name, j]));
  const names = [...js].sort((a, b) => a.jobIndex - b.jobIndex).map((j) => j.name);
  return (topoSort(names, (n) => byName.get(n)!.job.needs) ?? names).map((n) => byName.get(n)!);
}
