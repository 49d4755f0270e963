/**
 * `pipeglot hold|release <file|NAME> --target P --stage NAME --reason TEXT`: disable or enable
 * the transition into a stage, so that runs stop before it (where the cloud can hold runs; a
 * cloud that cannot says so and names the alternative, exit 1).
 */
import type { Argv } from "yargs";
import { EXIT, out, printJson } from "../io.js";
import type { Command } from "../main.js";
import { liveOptions, operating, type LiveArgs } from "./operate-shared.js";

interface Args extends LiveArgs {
  stage: string;
  reason?: string;
}

function holdCommand(hold: boolean): Command<Args> {
  const name = hold ? "hold" : "release";
  return {
    command: `${name} <pipeline>`,
    describe: hold
      ? "Hold runs of a live pipeline before a stage (disable the transition into it), with a reason"
      : "Release a held stage: runs go into it again (enable the transition)",
    builder: (y: Argv) =>
      liveOptions(y)
        .option("stage", { type: "string", demandOption: true, describe: "The definition's stage" })
        .option("reason", { type: "string", describe: hold ? "Why (required; the cloud records it)" : "Why (optional)" })
        .check((a) => {
          if (hold && (typeof a.reason !== "string" || !a.reason.trim())) throw new Error("hold needs --reason TEXT: the cloud records why runs are held");
          return true;
        })
        .example(
          hold ? `$0 hold pipeglot.yaml --target aws --stage production --reason "incident 42"` : `$0 release pipeglot.yaml --target aws --stage production`,
          hold ? "Stop runs before production" : "Let runs into production again",
        ) as unknown as Argv<Args>,
    async handler(a) {
      const { session, ref, provider } = await operating(a);
      await session.hold(ref, { stage: a.stage, hold, ...(a.reason !== undefined ? { reason: a.reason } : {}) });
      if (a.format === "json")
        printJson({ provider, pipeline: ref.pipeline, stage: a.stage, held: hold, ...(a.reason !== undefined ? { reason: a.reason } : {}) });
      else
        out(
          hold
            ? `Held: runs of ${ref.pipeline} on ${provider} stop before stage ${a.stage} (${a.reason ?? ""}). Release with: pipeglot release ${a.pipeline} --target ${provider} --stage ${a.stage}`
            : `Released: runs of ${ref.pipeline} on ${provider} go into stage ${a.stage} again.`,
        );
      return EXIT.ok;
    },
  };
}

export const holdStageCommand = holdCommand(true);
export const releaseStageCommand = holdCommand(false);
