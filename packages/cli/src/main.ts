/**
 * The `pipeglot` command. Exit codes: 0 success, 1 problems found, 2 usage error, 3 internal error.
 * No stack trace ever reaches a user (set PIPEGLOT_DEBUG=1 to see one for an internal error).
 */
import yargs, { type Argv } from "yargs";
import { isUserError } from "@pipeglot/core";
import { CliError, EXIT, err } from "./io.js";
import { validateCommand } from "./commands/validate.js";
import { graphCommand } from "./commands/graph.js";
import { schemaCommand } from "./commands/schema.js";
import { compileCommand } from "./commands/compile.js";
import { importCommand } from "./commands/import.js";
import { demoCommand } from "./commands/demo.js";
import { translateCommand } from "./commands/translate.js";
import { auditCommand } from "./commands/audit.js";
import { emulateCommand } from "./commands/emulate.js";
import { compareCommand } from "./commands/compare.js";
import { applyCommand, planCommand, pullCommand } from "./commands/sync.js";

export interface Command<A> {
  command: string;
  describe: string;
  builder: (y: Argv) => Argv<A>;
  handler: (args: A) => Promise<number>;
}

export async function main(argv: string[]): Promise<number> {
  let exit: number = EXIT.ok;
  const run =
    <A>(c: Command<A>) =>
    async (args: A) => {
      exit = await c.handler(args);
    };
  const commands = [validateCommand, graphCommand, schemaCommand, compileCommand, importCommand, translateCommand, compareCommand, auditCommand, planCommand, applyCommand, pullCommand, emulateCommand, demoCommand] as unknown as Command<never>[];
  let y = yargs(argv)
    .scriptName("pipeglot")
    .usage("$0 <command> [options]\n\nOne CI/CD pipeline definition for AWS CodePipeline, Azure Pipelines, Google Cloud Build and OCI DevOps.")
    .option("format", { choices: ["text", "json"] as const, default: "text" as const, describe: "Output format", global: true })
    .strict()
    .demandCommand(1, "Name a command (see pipeglot --help).")
    .recommendCommands()
    .help()
    .alias("h", "help")
    .version()
    // Wrapping help text costs time at every start (yargs prepares help for each command it runs):
    // only when help is asked for.
    .wrap(argv.some((a) => a === "--help" || a === "-h") || argv.length === 0 ? Math.min(110, process.stdout.columns || 100) : null)
    .exitProcess(false)
    .fail((msg, e) => {
      throw e instanceof CliError ? e : new CliError(msg ?? e?.message ?? "invalid command line", EXIT.usage);
    });
  for (const c of commands) y = y.command(c.command, c.describe, c.builder as never, run(c) as never);
  try {
    await y.parseAsync();
    return exit;
  } catch (e) {
    if (e instanceof CliError || isUserError(e)) {
      err(`pipeglot: ${e.message}`);
      if (e.exitCode === EXIT.usage) err("Run pipeglot --help for usage.");
      return e.exitCode;
    }
    const error = e as Error;
    err(`pipeglot: internal error: ${error?.message ?? String(e)}`);
    err("This is a bug in pipeglot; please report it with the input that caused it.");
    if (process.env.PIPEGLOT_DEBUG) err(error?.stack ?? "");
    return EXIT.internal;
  }
}
