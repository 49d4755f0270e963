import { parseTemplate } from "../expressions.js";
import { closest } from "../suggest.js";
import type { Check, CheckContext } from "./context.js";

function checkText(ctx: CheckContext, ptr: string, text: string, matrix: readonly string[]) {
  const { segments, errors } = parseTemplate(text);
  for (const e of errors) ctx.report("PG-EXPR-SYNTAX", ptr, e.message, { needle: text.slice(e.offset, e.offset + e.length).split("\n")[0]! });
  const vars = Object.keys(ctx.ir.variables);
  const secrets = Object.keys(ctx.ir.secrets);
  for (const s of segments) {
    if (s.kind === "var" && !vars.includes(s.name)) {
      const g = closest(s.name, vars);
      const alt = secrets.includes(s.name)
        ? `${JSON.stringify(s.name)} is a secret: write \${{ secrets.${s.name} }}`
        : g
          ? `did you mean ${JSON.stringify(g)}?`
          : "declare it under variables:";
      ctx.report("PG-EXPR-UNKNOWN-VAR", ptr, `unknown variable ${JSON.stringify(s.name)}`, { hint: alt, needle: `vars.${s.name}` });
    } else if (s.kind === "secret" && !secrets.includes(s.name)) {
      const g = closest(s.name, secrets);
      ctx.report("PG-EXPR-UNKNOWN-SECRET", ptr, `unknown secret ${JSON.stringify(s.name)}`, {
        hint: g ? `did you mean ${JSON.stringify(g)}?` : "declare it under secrets: with a reference per provider",
        needle: `secrets.${s.name}`,
      });
    } else if (s.kind === "matrix" && !matrix.includes(s.name)) {
      ctx.report("PG-EXPR-UNKNOWN-MATRIX", ptr, `unknown matrix value ${JSON.stringify(s.name)}`, {
        hint: matrix.length ? `this job's matrix has: ${matrix.join(", ")}` : "this job has no matrix",
        needle: `matrix.${s.name}`,
      });
    }
  }
}

/**
 * In a bash/sh script a reference reads an env variable (`${NAME}` on every provider), so a literal
 * `$` right before it makes `$${NAME}`: the shell's process id followed by `{NAME}`.
 */
function dollarBeforeReference(ctx: CheckContext, ptr: string, run: string) {
  const segs = parseTemplate(run).segments;
  segs.forEach((s, i) => {
    const next = segs[i + 1];
    if (s.kind !== "text" || !next || next.kind === "text" || !/(^|[^\\])(\\\\)*\$$/.test(s.value)) return;
    const ref = next.kind === "git" ? `git.${next.name}` : `${next.kind === "var" ? "vars" : next.kind === "secret" ? "secrets" : "matrix"}.${next.name}`;
    ctx.report(
      "PG-EXPR-DOLLAR-BEFORE-REF",
      ptr,
      `a literal $ right before \${{ ${ref} }}: the script reads the value as \${NAME}, and the shell reads $\${NAME} as $$ (its process id) followed by {NAME}`,
      {
        hint: `write \${{ '\\$' }}\${{ ${ref} }} for a dollar sign followed by the value`,
        needle: `\${{ ${ref}`,
      },
    );
  });
}

export const expressionRefs: Check = {
  name: "expression-refs",
  description: "Every ${{ }} reference in run, env and condition values is well formed and names a declared variable, secret or matrix value.",
  run(ctx) {
    ctx.ir.stages.forEach((s, i) =>
      s.jobs.forEach((j, k) => {
        const base = `/stages/${i}/jobs/${k}`;
        const matrix = Object.keys(j.matrix ?? {});
        for (const [name, v] of Object.entries(j.env)) checkText(ctx, `${base}/env/${name}`, v, matrix);
        j.steps.forEach((st, n) => {
          if (st.run !== undefined) checkText(ctx, `${base}/steps/${n}/run`, st.run, matrix);
          if (st.run !== undefined && (st.shell === "bash" || st.shell === "sh")) dollarBeforeReference(ctx, `${base}/steps/${n}/run`, st.run);
          for (const [name, v] of Object.entries(st.env)) checkText(ctx, `${base}/steps/${n}/env/${name}`, v, matrix);
        });
      }),
    );
  },
};
