import { ENV_NAME_PATTERN, NAME_PATTERN } from "../document.js";
import { pointer } from "../diagnostics.js";
import type { ConditionIR, PipelineIR } from "../ir.js";
import type { Check, CheckContext } from "./context.js";

/** The folding every provider's sanitizer agrees on: case and the separators . _ - are not distinguished. */
export const foldName = (n: string): string => n.toLowerCase().replace(/[._-]+/g, "-");

function scope(
  ctx: CheckContext,
  what: string,
  items: { name: string; ptr: string }[],
  pattern = NAME_PATTERN,
  rule = "letters, digits, '.', '_' and '-', starting with a letter or digit",
) {
  const seen = new Map<string, { name: string; ptr: string }>();
  for (const it of items) {
    if (!pattern.test(it.name)) {
      ctx.report("PG-NAME-INVALID", it.ptr, `${what} name ${JSON.stringify(it.name)} cannot be represented by every provider: use ${rule}`, {
        hint:
          pattern === NAME_PATTERN
            ? `for example ${JSON.stringify(it.name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "") || "name")}`
            : undefined,
        key: pattern === ENV_NAME_PATTERN,
      });
      continue;
    }
    const f = foldName(it.name);
    const prev = seen.get(f);
    if (prev && prev.name !== it.name)
      ctx.report(
        "PG-NAME-COLLISION",
        it.ptr,
        `${what} name ${JSON.stringify(it.name)} collides with ${JSON.stringify(prev.name)} (${ctx.where(prev.ptr)}) once providers fold case and separators`,
      );
    else if (!prev) seen.set(f, it);
  }
}

/** Environment-variable names reach generated scripts (`export K=…`, `docker run -e K`): the shell's rule, nothing else. */
function envKeys(ctx: CheckContext, env: Record<string, unknown>, base: string, what = "environment variable"): void {
  for (const key of Object.keys(env))
    if (!ENV_NAME_PATTERN.test(key))
      ctx.report("PG-NAME-INVALID", base + pointer([key]), `${what} name ${JSON.stringify(key)} must be letters, digits and '_', not starting with a digit`, {
        key: true,
        hint: `for example ${JSON.stringify(key.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^(?=\d)/, "_"))}`,
      });
}

/** Every condition of the pipeline with its pointer. */
export function forEachCondition(ir: PipelineIR, f: (c: ConditionIR, ptr: string) => void): void {
  ir.stages.forEach((s, i) => {
    if (s.condition) f(s.condition, `/stages/${i}/condition`);
    s.jobs.forEach((j, k) => {
      if (j.condition) f(j.condition, `/stages/${i}/jobs/${k}/condition`);
      j.steps.forEach((st, n) => st.condition && f(st.condition, `/stages/${i}/jobs/${k}/steps/${n}/condition`));
    });
  });
}

export const names: Check = {
  name: "names",
  description:
    "Names every provider can represent (stages, jobs, steps, artifacts, variables, env and condition keys), and no two names in one scope that collide once case and separators are folded.",
  run(ctx) {
    const { ir } = ctx;
    scope(ctx, "pipeline", [{ name: ir.name, ptr: "/name" }]);
    scope(
      ctx,
      "stage",
      ir.stages.map((s, i) => ({ name: s.name, ptr: `/stages/${i}/name` })),
    );
    ir.stages.forEach((s, i) => {
      scope(
        ctx,
        "job",
        s.jobs.map((j, k) => ({ name: j.name, ptr: `/stages/${i}/jobs/${k}/name` })),
      );
      s.jobs.forEach((j, k) => {
        scope(
          ctx,
          "step",
          j.steps.filter((st) => st.name !== undefined).map((st) => ({ name: st.name!, ptr: `/stages/${i}/jobs/${k}/steps/${j.steps.indexOf(st)}/name` })),
        );
        for (const key of Object.keys(j.matrix ?? {}))
          if (!ENV_NAME_PATTERN.test(key))
            ctx.report(
              "PG-NAME-INVALID",
              `/stages/${i}/jobs/${k}/matrix/${key}`,
              `matrix name ${JSON.stringify(key)} must be letters, digits and '_', not starting with a digit`,
              { key: true },
            );
        envKeys(ctx, j.env, `/stages/${i}/jobs/${k}/env`);
        j.steps.forEach((st, n) => envKeys(ctx, st.env, `/stages/${i}/jobs/${k}/steps/${n}/env`));
      });
    });
    // Artifact names reach file names and scripts on every provider (tar, upload paths): one scope for the pipeline.
    scope(
      ctx,
      "artifact",
      ir.stages.flatMap((s, i) =>
        s.jobs.flatMap((j, k) => j.produces.map((a, n) => ({ name: a.name, ptr: `/stages/${i}/jobs/${k}/artifacts/produce/${n}/name` }))),
      ),
    );
    forEachCondition(ir, (c, ptr) => envKeys(ctx, c.variables, `${ptr}/variables`, "condition variable"));
    const params = [
      ...Object.keys(ir.variables).map((n) => ({ name: n, ptr: `/variables/${n}` })),
      ...Object.keys(ir.secrets).map((n) => ({ name: n, ptr: `/secrets/${n}` })),
    ];
    scope(ctx, "variable or secret", params, ENV_NAME_PATTERN, "letters, digits and '_', not starting with a digit");
    const seen = new Map<string, string>();
    for (const p of params) {
      const u = p.name.toUpperCase();
      if (seen.has(u) && seen.get(u) !== p.ptr && ENV_NAME_PATTERN.test(p.name))
        ctx.report(
          "PG-DUPLICATE-NAME",
          p.ptr,
          `${JSON.stringify(p.name)} is declared twice among variables and secrets (first at ${ctx.where(seen.get(u)!)}); providers expose both as environment variables`,
          { key: true },
        );
      else seen.set(u, p.ptr);
    }
  },
};
