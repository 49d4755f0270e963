import yargs from "yargs";
import { compareCommand } from "../cli/dist/commands/compare.js";
const argv = process.argv.slice(2);
const y = yargs(argv).command(compareCommand.command, compareCommand.describe, compareCommand.builder, async (a) => { process.exitCode = await compareCommand.handler(a); }).strict().exitProcess(false);
await y.parseAsync();
