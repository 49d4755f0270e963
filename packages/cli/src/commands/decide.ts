/**
 * `pipeglot approve|reject <file|NAME> --target P --stage NAME [--comment TEXT] [--run RUN]`:
 * decide the approval gate waiting before a stage. Exit 1 (with where the run is) when no
 * approval waits there; 0 once decided, printing the run after the decision.
 */
import type { Argv } from "yargs";
import { renderRun } from "@pipeglot/core";
import { EXIT, err, out, printJson } from "../io.js";
import type { Command } from "../main.js";
import { liveOptions, operating, type LiveArgs } from "./operate-shared.js";

interface Args extends LiveArgs {
  stage: string;
  comment?: string;
  run?: string;
}

function decideCommand(decision: "approve" | "reject"): Command<Args> {
  const verb = decision === "approve" ? "Approved" : "Rejected";
  return {
    command: `${decision} <pipeline>`,
    describe: `${decision === "approve" ? "Approve" : "Reject"} the approval waiting before a stage of a live pipeline's run`,
    builder: (y: Argv) =>
      liveOptions(y)
        .option("stage", { type: "string", demandOption: true, describe: "The definition's stage whose approval gate is decided" })
        .option("comment", { type: "string", describe: "What the cloud records with the decision" })
        .option("run", { type: "string", describe: "The run waiting there (default: the one run waiting at that stage)" })
        .example(`$0 ${decision} pipeglot.yaml --target aws --stage production --comment "staging checked"`, `${verb} the gate before production`)
        .epilog("Exit 0 decided; 1 when no approval waits before that stage (or the cloud refused the decision); 2 usage.") as unknown as Argv<Args>,
    async handler(a) {
      const { session, ref, provider } = await operating(a);
      const run = await session.decide(ref, {
        stage: a.stage,
        decision,
        ...(a.comment !== undefined ? { comment: a.comment } : {}),
        ...(a.run ? { run: a.run } : {}),
      });
      if (a.format === "json") printJson(run);
      else {
        err(`${verb} the gate before ${a.stage} of ${ref.pipeline} on ${provider} (run ${run.id}): the run is ${run.state}`);
        out(renderRun(run));
      }
      return EXIT.ok;
    },
  };
}

export const approveCommand = decideCommand("approve");
export const rejectCommand = decideCommand("reject");
