import type { Check } from "./context.js";

export const firstStageGate: Check = {
  name: "first-stage-gate",
  description: "No approval or disabled transition on a stage that nothing runs before: there is no transition into it to hold.",
  run(ctx) {
    ctx.ir.stages.forEach((s, i) => {
      if (s.needs.length > 0) return;
      if (s.approval)
        ctx.report("PG-FIRST-STAGE-GATE", `/stages/${i}/approval`, `stage ${JSON.stringify(s.name)} runs first, so its approval has nothing to gate`, {
          hint: "put the approval on the stage that should wait, or add a stage before this one",
          key: true,
        });
      if (!s.transition.enabled)
        ctx.report("PG-FIRST-STAGE-GATE", `/stages/${i}/transition`, `stage ${JSON.stringify(s.name)} runs first, so it has no inbound transition to disable`, {
          hint: "disable the transition into a later stage, or turn off the triggers to stop runs",
          key: true,
        });
    });
  },
};
