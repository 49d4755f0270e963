import { findCycle } from "../graph.js";
import { closest } from "../suggest.js";
import type { Check } from "./context.js";

export const needsUnknown: Check = {
  name: "needs-unknown",
  description: "Every `needs` entry names an existing stage (for stages) or a job of the same stage (for jobs), and not itself.",
  run(ctx) {
    const stages = ctx.ir.stages.map((s) => s.name);
    ctx.doc.stages.forEach((s, i) => {
      (s.needs ?? []).forEach((n, k) => {
        const ptr = `/stages/${i}/needs/${k}`;
        if (n === s.name) ctx.report("PG-NEEDS-CYCLE", ptr, `stage ${JSON.stringify(n)} needs itself`);
        else if (!stages.includes(n)) {
          const g = closest(n, stages);
          ctx.report("PG-NEEDS-UNKNOWN", ptr, `stage ${JSON.stringify(s.name)} needs ${JSON.stringify(n)}, which is not a stage of this pipeline`, {
            hint: g ? `did you mean ${JSON.stringify(g)}?` : `stages: ${stages.join(", ")}`,
          });
        }
      });
      const jobs = s.jobs.map((j) => j.name);
      s.jobs.forEach((j, k) =>
        (j.needs ?? []).forEach((n, m) => {
          const ptr = `/stages/${i}/jobs/${k}/needs/${m}`;
          if (n === j.name) ctx.report("PG-NEEDS-CYCLE", ptr, `job ${JSON.stringify(n)} needs itself`);
          else if (!jobs.includes(n)) {
            const g = closest(n, jobs);
            ctx.report(
              "PG-NEEDS-UNKNOWN",
              ptr,
              `job ${JSON.stringify(j.name)} needs ${JSON.stringify(n)}, which is not a job of stage ${JSON.stringify(s.name)}`,
              {
                hint: g ? `did you mean ${JSON.stringify(g)}?` : "a job's needs name jobs of its own stage; order stages with the stage's needs",
              },
            );
          }
        }),
      );
    });
  },
};

export const needsCycle: Check = {
  name: "needs-cycle",
  description: "The stage graph and each stage's job graph are acyclic; a cycle is reported with its path.",
  run(ctx) {
    const { ir } = ctx;
    const byName = new Map(ir.stages.map((s) => [s.name, s]));
    const stageCycle = findCycle(
      ir.stages.map((s) => s.name),
      (n) => (byName.get(n)?.needs ?? []).filter((d) => d !== n),
    );
    if (stageCycle) {
      const i = ir.stages.findIndex((s) => s.name === stageCycle[0]);
      ctx.report("PG-NEEDS-CYCLE", `/stages/${i}/name`, `stages form a cycle: ${stageCycle.join(" → ")}`, {
        hint: "a stage without `needs` waits for the stage before it; write needs: [] for a stage that waits for nothing",
      });
    }
    ir.stages.forEach((s, i) => {
      const jobs = new Map(s.jobs.map((j) => [j.name, j]));
      const cycle = findCycle(
        s.jobs.map((j) => j.name),
        (n) => (jobs.get(n)?.needs ?? []).filter((d) => d !== n),
      );
      if (cycle) {
        const k = s.jobs.findIndex((j) => j.name === cycle[0]);
        ctx.report("PG-NEEDS-CYCLE", `/stages/${i}/jobs/${k}/name`, `jobs of stage ${JSON.stringify(s.name)} form a cycle: ${cycle.join(" → ")}`);
      }
    });
  },
};
