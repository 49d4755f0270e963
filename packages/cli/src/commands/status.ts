/**
 * `pipeglot status <file|NAME> --target P [RUN] [--watch]`: a run of the live pipeline (the
 * latest, or RUN) as a stage/job tree, or with --format json the neutral run model.
 * --watch looks again every --interval seconds until the run settles, and exits with its outcome
 * (RUN_EXIT: 0 succeeded, 1 failed or cancelled, 4 waiting for approval, 5 held): on a terminal
 * the tree is redrawn in place; off a terminal each change is one line (no times, logs compare).
 */
import type { Argv } from "yargs";
import { createLogUpdate } from "log-update";
import { isSettled, renderRun, runChanges, runExitCode, type OperateSession, type PipelineRun, type RunRef } from "@pipeglot/core";
import { EXIT, out, printJson } from "../io.js";
import type { Command } from "../main.js";
import { checkNumber } from "../options.js";
import { sizedTerminal } from "../progress.js";
import { liveOptions, operating, type LiveArgs } from "./operate-shared.js";

interface Args extends LiveArgs {
  run?: string;
  watch: boolean;
  interval: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Look until the run settles; print what the place allows; the last look. */
async function watch(session: OperateSession, ref: RunRef, first: PipelineRun, a: Args): Promise<PipelineRun> {
  const tty = Boolean(process.stdout.isTTY) && a.format === "text";
  const draw = tty ? createLogUpdate(sizedTerminal(process.stdout), { showCursor: true }) : undefined;
  let last: PipelineRun | undefined;
  let run = first;
  for (;;) {
    if (draw) draw(renderRun(run).trimEnd());
    else if (a.format === "text") for (const line of runChanges(last, run)) out(line);
    if (isSettled(run.state)) break;
    last = run;
    await sleep(a.interval * 1000);
    run = await session.status(ref, run.id);
  }
  draw?.done();
  return run;
}

export const statusCommand: Command<Args> = {
  command: "status <pipeline> [run]",
  describe: "Show a run of a live pipeline as stages and jobs (the latest, or RUN); --watch follows it and exits with its outcome",
  builder: (y: Argv) =>
    liveOptions(y)
      .positional("run", { type: "string", describe: "The run's id (default: the latest run)" })
      .option("watch", {
        alias: "w",
        type: "boolean",
        default: false,
        describe: "Follow the run until it finishes, waits for approval or is held; exit with its outcome",
      })
      .option("interval", { type: "number", default: 2, describe: "Seconds between two looks with --watch" })
      .check((a) => (checkNumber("interval", a.interval, { min: 0.1, max: 600 }), true))
      .example("$0 status pipeglot.yaml --target aws", "The latest run, as a tree")
      .example("$0 status pipeglot.yaml --target aws --watch; echo $?", "Wait for it: 0 succeeded, 1 failed, 4 waiting for approval, 5 held")
      .example("$0 status shop-web --target gcp --project acme-ci --region europe-west1 RUN --format json", "A run by id, without the definition")
      .epilog(
        "Exit with --watch: 0 succeeded, 1 failed or cancelled, 4 waiting for approval (approve or reject it), 5 held before a stage (release it); without --watch 0. 2: usage.",
      ) as unknown as Argv<Args>,
  async handler(a) {
    const { session, ref } = await operating(a);
    const first = await session.status(ref, a.run);
    const run = a.watch ? await watch(session, ref, first, a) : first;
    if (a.format === "json") printJson(run);
    else if (!a.watch) out(renderRun(run));
    else if (!process.stdout.isTTY) out(renderRun(run));
    return a.watch ? (runExitCode(run.state) ?? EXIT.problems) : EXIT.ok;
  },
};
