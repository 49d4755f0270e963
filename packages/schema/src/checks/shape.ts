import type { Check } from "./context.js";

export const stepKind: Check = {
  name: "step-kind",
  description: "A step has exactly one of `run` and `native`; a job has steps or a native block.",
  run(ctx) {
    ctx.ir.stages.forEach((s, i) =>
      s.jobs.forEach((j, k) => {
        if (j.steps.length === 0 && !j.native)
          ctx.report("PG-JOB-EMPTY", `/stages/${i}/jobs/${k}/steps`, `job ${JSON.stringify(j.name)} has no steps`, {
            hint: "add a step with run:, or a native: block for a provider-specific action",
          });
        j.steps.forEach((st, n) => {
          const ptr = `/stages/${i}/jobs/${k}/steps/${n}`;
          if (st.run === undefined && !st.native) ctx.report("PG-STEP-KIND", ptr, "a step needs run: (a command) or native: (a provider-specific step)");
          if (st.run !== undefined && st.native) ctx.report("PG-STEP-KIND", `${ptr}/native`, "a step has either run: or native:, not both", { key: true });
        });
      }),
    );
  },
};

export const secretRefs: Check = {
  name: "secret-refs",
  description: "A declared secret names a reference for at least one provider.",
  run(ctx) {
    for (const [name, s] of Object.entries(ctx.ir.secrets))
      if (!s.aws && !s.azure && !s.gcp && !s.oci)
        ctx.report("PG-SECRET-NO-REF", `/secrets/${name}`, `secret ${JSON.stringify(name)} has no reference for any provider`, {
          hint: "add aws:, azure:, gcp: or oci: with where the secret lives",
          key: true,
        });
  },
};
