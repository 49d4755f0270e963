/** Guards common to the steps of a stage or job become its condition (compile writes them as shell guards on each step). */
import type { ConditionIR, StageIR } from "@pipeglot/schema";
import type { ParsedClause } from "./commands.js";
import type { JobDraft } from "./context.js";

const clauseKey = (c: ParsedClause) => JSON.stringify(c);

/** Guards common to every step of a stage → stage condition; of a job → job condition; the rest stay on steps. */
export function assignConditions(stage: StageIR, jobs: JobDraft[], params: Map<string, string>): void {
  const toCondition = (cs: ParsedClause[]): ConditionIR | undefined => {
    if (!cs.length) return undefined;
    const c: ConditionIR = { status: "success", branches: [], variables: {} };
    for (const x of cs) {
      if (x.kind === "branches") c.branches.push(...x.patterns);
      else c.variables[params.get(x.name) ?? x.name] = x.value;
    }
    return c;
  };
  const all = jobs.flatMap((j) => j.clauses);
  const common = (lists: ParsedClause[][]): ParsedClause[] =>
    lists.length === 0 ? [] : lists[0]!.filter((c) => lists.every((l) => l.some((x) => clauseKey(x) === clauseKey(c))));
  const stageLevel = all.length ? common(all) : [];
  const sc = toCondition(stageLevel);
  if (sc) stage.condition = sc;
  const without = (l: ParsedClause[], drop: ParsedClause[]) => l.filter((c) => !drop.some((d) => clauseKey(d) === clauseKey(c)));
  for (const j of jobs) {
    const lists = j.clauses.map((l) => without(l, stageLevel));
    const jobLevel = lists.length ? common(lists) : [];
    const jc = toCondition(jobLevel);
    if (jc) j.job.condition = jc;
    j.job.steps.forEach((s, n) => {
      const c = toCondition(without(lists[n] ?? [], jobLevel));
      if (c) s.condition = c;
    });
  }
}
