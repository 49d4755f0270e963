/**
 * Size limits of the format that no provider could carry anyway, checked before any compiler
 * renders (and re-quotes, re-indents and re-parses) the text several times over.
 */
import { MAX_RUN_BYTES } from "../encoding.js";
import type { Check } from "./context.js";

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

/** UTF-8 size of text, counted only when it could be over `limit` (a character is at most 3 bytes in UTF-16 → UTF-8). */
function overBytes(text: string, limit: number): number | undefined {
  if (text.length * 3 <= limit) return undefined;
  const n = Buffer.byteLength(text, "utf8");
  return n > limit ? n : undefined;
}

export const runSize: Check = {
  name: "run-size",
  description:
    "A step's run is at most 4 MiB (UTF-8): more than Azure Pipelines parses in one YAML file, Cloud Build takes in one step argument or CloudFormation in one template.",
  run(ctx) {
    ctx.ir.stages.forEach((s, i) =>
      s.jobs.forEach((j, k) =>
        j.steps.forEach((st, n) => {
          const size = st.run === undefined ? undefined : overBytes(st.run, MAX_RUN_BYTES);
          if (size === undefined) return;
          ctx.report(
            "PG-RUN-TOO-LARGE",
            `/stages/${i}/jobs/${k}/steps/${n}/run`,
            `step ${JSON.stringify(st.name)} of job ${JSON.stringify(`${s.name}.${j.name}`)} runs ${mib(size)} (${size} bytes) of commands; pipeglot compiles a run of at most ${MAX_RUN_BYTES / 1048576} MiB (${MAX_RUN_BYTES} bytes): no provider carries more`,
            {
              hint: "put the commands in a script file in the repository and run that file",
              key: true,
            },
          );
        }),
      ),
    );
  },
};
