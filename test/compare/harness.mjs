// Runs the `compare` command the way main.ts runs every command (until main.ts registers it):
// usage errors as one line with exit 2, problems with exit 1.
import yargs from "yargs";
import { compareCommand } from "../../packages/cli/dist/commands/compare.js";
import { CliError } from "../../packages/cli/dist/io.js";

let code = 0;
try {
  await yargs(process.argv.slice(2))
    .command(compareCommand.command, compareCommand.describe, compareCommand.builder, async (a) => {
      code = await compareCommand.handler(a);
    })
    .strict()
    .exitProcess(false)
    .fail((msg, e) => {
      throw e instanceof CliError ? e : new CliError(msg ?? e?.message ?? "invalid command line", 2);
    })
    .parseAsync();
} catch (e) {
  if (e instanceof CliError) {
    process.stderr.write(`pipeglot: ${e.message}\n`);
    code = e.exitCode;
  } else {
    process.stderr.write(`pipeglot: internal error: ${e?.stack ?? e}\n`);
    code = 3;
  }
}
process.exitCode = code;
