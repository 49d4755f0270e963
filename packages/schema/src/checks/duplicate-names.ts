import type { Check, CheckContext } from "./context.js";

function dupes(ctx: CheckContext, what: string, items: { name: string; ptr: string }[]) {
  const first = new Map<string, string>();
  for (const it of items) {
    const prev = first.get(it.name);
    if (prev !== undefined)
      ctx.report("PG-DUPLICATE-NAME", it.ptr, `${what} name ${JSON.stringify(it.name)} is used twice; first defined at ${ctx.where(prev)}`);
    else first.set(it.name, it.ptr);
  }
}

export const duplicateNames: Check = {
  name: "duplicate-names",
  description: "Stage names are unique in the pipeline, job names in their stage, step names in their job, artifact names in the pipeline.",
  run(ctx) {
    const { ir } = ctx;
    dupes(
      ctx,
      "stage",
      ir.stages.map((s, i) => ({ name: s.name, ptr: `/stages/${i}/name` })),
    );
    const artifacts: { name: string; ptr: string }[] = [];
    ir.stages.forEach((s, i) => {
      dupes(
        ctx,
        "job",
        s.jobs.map((j, k) => ({ name: j.name, ptr: `/stages/${i}/jobs/${k}/name` })),
      );
      s.jobs.forEach((j, k) => {
        dupes(
          ctx,
          "step",
          j.steps.map((st, n) => ({
            name: st.id,
            ptr: st.name !== undefined ? `/stages/${i}/jobs/${k}/steps/${n}/name` : `/stages/${i}/jobs/${k}/steps/${n}`,
          })),
        );
        j.produces.forEach((a, n) => artifacts.push({ name: a.name, ptr: `/stages/${i}/jobs/${k}/artifacts/produce/${n}/name` }));
      });
    });
    dupes(ctx, "artifact", artifacts);
  },
};
