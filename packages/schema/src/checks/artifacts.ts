import { ancestors } from "../graph.js";
import type { Check } from "./context.js";

export const artifactFlow: Check = {
  name: "artifact-flow",
  description: "Every consumed artifact is produced by a job that always runs before the consumer (an earlier stage it needs, or a job it needs).",
  run(ctx) {
    const { ir } = ctx;
    const producers = new Map<string, { stage: string; job: string; ptr: string }>();
    ir.stages.forEach((s, i) =>
      s.jobs.forEach((j, k) =>
        j.produces.forEach(
          (a, n) => producers.has(a.name) || producers.set(a.name, { stage: s.name, job: j.name, ptr: `/stages/${i}/jobs/${k}/artifacts/produce/${n}/name` }),
        ),
      ),
    );
    const stageNeeds = new Map(ir.stages.map((s) => [s.name, s.needs]));
    ir.stages.forEach((s, i) => {
      // Only stages that consume pay for a walk of their ancestors: validate stays linear in stages.
      if (!s.jobs.some((j) => j.consumes.length)) return;
      const earlierStages = ancestors(s.name, (n) => stageNeeds.get(n) ?? []);
      const jobNeeds = new Map(s.jobs.map((j) => [j.name, j.needs]));
      s.jobs.forEach((j, k) =>
        j.consumes.forEach((a, n) => {
          const ptr = `/stages/${i}/jobs/${k}/artifacts/consume/${n}`;
          const p = producers.get(a);
          if (!p) {
            ctx.report("PG-ARTIFACT-UNKNOWN", ptr, `job ${JSON.stringify(j.name)} consumes artifact ${JSON.stringify(a)}, which no job produces`, {
              hint: producers.size ? `artifacts produced: ${[...producers.keys()].join(", ")}` : "declare it under some job's artifacts.produce",
            });
            return;
          }
          const before = p.stage === s.name ? ancestors(j.name, (n2) => jobNeeds.get(n2) ?? []).has(p.job) : earlierStages.has(p.stage);
          if (!before)
            ctx.report(
              "PG-ARTIFACT-ORDER",
              ptr,
              `job ${JSON.stringify(j.name)} consumes artifact ${JSON.stringify(a)}, but its producer ${p.stage}/${p.job} (${ctx.where(p.ptr)}) does not run before it`,
              {
                hint:
                  p.stage === s.name
                    ? `add ${JSON.stringify(p.job)} to the job's needs`
                    : `make stage ${JSON.stringify(s.name)} need stage ${JSON.stringify(p.stage)}`,
              },
            );
        }),
      );
    });
  },
};
