/**
 * The `pipeglot` command. Exit codes: 0 success, 1 problems found (or an error the user can fix:
 * a PipeglotError of kind config, auth, not-found, api or conflict), 2 usage error (kind usage),
 * 3 internal error (a bug). No stack trace ever reaches a user (set PIPEGLOT_DEBUG=1 to see one
 * for an internal error).
 */
import yargs, { type Argv } from "yargs";
import { EXIT_CODES, isPipeglotError } from "@pipeglot/core";
import { CliError, EXIT, err } from "./io.js";
import { numbersCheck, stdinArgs } from "./options.js";
import { cliVersion } from "./version.js";

export interface Command<A> {
  command: string;
  describe: string;
  builder: (y: Argv) => Argv<A>;
  handler: (args: A) => Promise<number>;
}

type Loader = () => Promise<Command<never>>;
const as = (c: unknown) => c as Command<never>;

/**
 * Every command, in the order help lists them, each loaded only when needed: a start loads the
 * code of the command it runs (and what that needs), not the code of the others.
 */
const COMMANDS: [name: string, load: Loader][] = [
  ["validate", async () => as((await import("./commands/validate.js")).validateCommand)],
  ["graph", async () => as((await import("./commands/graph.js")).graphCommand)],
  ["schema", async () => as((await import("./commands/schema.js")).schemaCommand)],
  ["compile", async () => as((await import("./commands/compile.js")).compileCommand)],
  ["import", async () => as((await import("./commands/import.js")).importCommand)],
  ["translate", async () => as((await import("./commands/translate.js")).translateCommand)],
  ["compare", async () => as((await import("./commands/compare.js")).compareCommand)],
  ["audit", async () => as((await import("./commands/audit.js")).auditCommand)],
  ["plan", async () => as((await import("./commands/sync.js")).planCommand)],
  ["apply", async () => as((await import("./commands/sync.js")).applyCommand)],
  ["pull", async () => as((await import("./commands/sync.js")).pullCommand)],
  ["run", async () => as((await import("./commands/run.js")).runCommand)],
  ["status", async () => as((await import("./commands/status.js")).statusCommand)],
  ["approve", async () => as((await import("./commands/decide.js")).approveCommand)],
  ["reject", async () => as((await import("./commands/decide.js")).rejectCommand)],
  ["hold", async () => as((await import("./commands/hold.js")).holdStageCommand)],
  ["release", async () => as((await import("./commands/hold.js")).releaseStageCommand)],
  ["emulate", async () => as((await import("./commands/emulate.js")).emulateCommand)],
  ["demo", async () => as((await import("./commands/demo.js")).demoCommand)],
];

/**
 * The commands to register: when the first word is a command's name, yargs runs that command and
 * no other, so it alone is loaded; anything else (help, --version, completion, a typo, an option
 * first) registers them all, as before.
 */
async function commandsFor(argv: readonly string[]): Promise<Command<never>[]> {
  const named = COMMANDS.find(([name]) => name === argv[0]);
  if (named) {
    const c = await named[1]();
    if (c.command.split(" ")[0] === named[0]) return [c];
  }
  return Promise.all(COMMANDS.map(([, load]) => load()));
}

export async function main(argv: string[]): Promise<number> {
  let exit: number = EXIT.ok;
  const run =
    <A>(c: Command<A>) =>
    async (args: A) => {
      exit = await c.handler(args);
    };
  const commands = await commandsFor(argv);
  let y = yargs(stdinArgs(argv))
    .scriptName("pipeglot")
    .usage("$0 <command> [options]\n\nOne CI/CD pipeline definition for AWS CodePipeline, Azure Pipelines, Google Cloud Build and OCI DevOps.")
    .option("format", { choices: ["text", "json"] as const, default: "text" as const, describe: "Output format", global: true })
    .check(numbersCheck(argv), true)
    .completion("completion", "Print a shell completion script (bash, zsh): pipeglot completion >> ~/.bashrc")
    .strict()
    .demandCommand(1, "Name a command (see pipeglot --help).")
    .recommendCommands()
    .help()
    .alias("h", "help")
    .version(cliVersion())
    // Wrapping help text costs time at every start (yargs prepares help for each command it runs):
    // only when help is asked for.
    .wrap(argv.some((a) => a === "--help" || a === "-h") || argv.length === 0 ? Math.min(110, process.stdout.columns || 100) : null)
    .exitProcess(false)
    .fail((msg, e) => {
      throw e instanceof CliError ? e : new CliError(unknownOnce(msg ?? e?.message ?? "invalid command line"), EXIT.usage);
    });
  for (const c of commands) y = y.command(c.command, c.describe, c.builder as never, run(c) as never);
  try {
    await y.parseAsync();
    return exit;
  } catch (e) {
    const f = drifting(argv, failure(e));
    for (const line of f.lines) err(line);
    if (f.exitCode === EXIT.internal && process.env.PIPEGLOT_DEBUG) err(e instanceof Error ? (e.stack ?? "") : "");
    return f.exitCode;
  }
}

/**
 * yargs names an unknown option twice, as typed and as its camel-case twin ("Unknown arguments:
 * detailed-exitcod, detailedExitcod"): each is named once, as typed.
 */
export function unknownOnce(msg: string): string {
  const m = /^Unknown arguments?: (.*)$/.exec(msg);
  if (!m) return msg;
  const names = m[1]!.split(", ");
  const camel = (n: string) => n.replace(/-+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const typed = names.filter((n) => !names.some((o) => o !== n && o.includes("-") && camel(o) === n));
  return `Unknown argument${typed.length === 1 ? "" : "s"}: ${typed.join(", ")}`;
}

/**
 * Under plan --detailed-exitcode, exit 2 means "changes": a usage error there exits 1, as every
 * other error does (terraform's scheme; docs/ci.md). A flag that starts like it
 * (--detailed-exitcod, --detailed-exitcode=true) counts: a CI job must never read a typo as drift.
 */
function drifting(argv: readonly string[], f: { exitCode: number; lines: string[] }): { exitCode: number; lines: string[] } {
  const asked = argv.some((a) => /^--detailed(-exit|Exit)?/.test(a));
  return asked && f.exitCode === EXIT.usage ? { ...f, exitCode: EXIT.problems } : f;
}

/**
 * What the CLI prints and exits with for an error that escaped a command: a PipeglotError exits
 * with its kind's code (EXIT_CODES: 1 config, auth, not-found, api, conflict; 2 usage), a CliError
 * with its own; anything else is an internal error (3), a bug.
 */
export function failure(e: unknown): { exitCode: number; lines: string[] } {
  const oneLine = (message: string, exitCode: number) => ({
    exitCode,
    lines: [`pipeglot: ${message}`, ...(exitCode === EXIT.usage ? ["Run pipeglot --help for usage."] : [])],
  });
  if (e instanceof CliError) return oneLine(e.message, e.exitCode);
  if (isPipeglotError(e)) return oneLine(e.message, EXIT_CODES[e.kind]);
  const message = typeof e === "object" && e !== null && "message" in e && typeof e.message === "string" ? e.message : String(e);
  return {
    exitCode: EXIT.internal,
    lines: [`pipeglot: internal error: ${message}`, "This is a bug in pipeglot; please report it with the input that caused it."],
  };
}
