/**
 * Stages across builds: a later build (part) starts with a stage gated by the trigger that runs
 * it: it needs the previous parts' last stages; the trigger's approval and disabled state (with
 * the lines pipeglot wrote in its description) become the stage's approval and transition.
 */
import { isObject } from "@pipeglot/core";
import type { Located, PipelineCx } from "./context.js";

/** `firstStage`: index of the part's first stage (the stages before it came from earlier parts). */
export function gatePart(cx: PipelineCx, b: Located, firstStage: number): void {
  const { ir } = cx;
  const gate = ir.stages[firstStage]!;
  const prevStages = ir.stages.slice(0, firstStage);
  if (!gate.needs.length) gate.needs = prevStages.filter((s) => !prevStages.some((o) => o.needs.includes(s.name))).map((s) => s.name);
  const t = cx.trigOf(b)[0]?.value;
  const desc = typeof t?.description === "string" ? t.description : "";
  const line = (p: string) =>
    desc
      .split("\n")
      .find((l) => l.startsWith(p))
      ?.slice(p.length);
  if (t && isObject(t.approvalConfig) && t.approvalConfig.approvalRequired === true) {
    gate.approval = { approvers: [], notify: [] };
    const ins = line("Approval: ");
    if (ins !== undefined) gate.approval.instructions = ins;
  }
  if (t?.disabled === true) {
    gate.transition = { enabled: false };
    const r = line("Held: ");
    if (r !== undefined) gate.transition.reason = r;
  }
}
