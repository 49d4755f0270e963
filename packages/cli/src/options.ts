/**
 * Options several commands share: a command's own --format choices, the diagnostics filter
 * (--quiet, --min-severity), and `-` for standard input.
 */
import { readFileSync } from "node:fs";
import type { Argv } from "yargs";
import type { Diagnostic, Severity } from "@pipeglot/schema";
import { CliError, EXIT } from "./io.js";

/**
 * A command's own --format choices. yargs appends a command's choices to those of the global
 * --format (help then lists "text","json" twice): the command's list replaces them.
 */
export function formatOption<T, C extends string>(y: Argv<T>, choices: readonly C[], defaultValue: C, describe: string): Argv<T> {
  const next = y.option("format", { choices, default: defaultValue, describe });
  // Not in the typings, but public in yargs 17: the live options object (choices by key).
  const options = (next as unknown as { getOptions(): { choices: Record<string, unknown[]> } }).getOptions();
  options.choices.format = [...choices];
  return next as unknown as Argv<T>;
}

const SEVERITIES: readonly Severity[] = ["info", "warning", "error"];

export interface DiagnosticsFilterArgs {
  quiet: boolean;
  minSeverity?: Severity;
}

/** --quiet (errors only, and no summary line) and --min-severity info|warning|error. */
export function diagnosticsFilterOptions<T>(y: Argv<T>): Argv<T & DiagnosticsFilterArgs> {
  return y
    .option("quiet", { alias: "q", type: "boolean", default: false, describe: "Print only errors (same as --min-severity error) and no summary" })
    .option("min-severity", { choices: SEVERITIES, describe: "Print diagnostics of this severity and above (default info)" }) as unknown as Argv<
    T & DiagnosticsFilterArgs
  >;
}

/** The diagnostics at or above the chosen severity (the exit code still counts every error). */
export function shownDiagnostics<D extends Diagnostic>(diags: readonly D[], args: Partial<DiagnosticsFilterArgs>): D[] {
  const min = args.quiet ? "error" : (args.minSeverity ?? "info");
  const rank = SEVERITIES.indexOf(min);
  return diags.filter((d) => SEVERITIES.indexOf(d.severity) >= rank);
}

/** `-` names standard input wherever a file is read. */
const STDIN = "-";
export const STDIN_NAME = "<stdin>";
/** main() hands yargs STDIN_NAME for a lone `-` (yargs drops a bare `-`). */
export const isStdin = (file: string): boolean => file === STDIN || file === STDIN_NAME;
export const stdinArgs = (argv: readonly string[]): string[] => argv.map((a) => (a === STDIN ? STDIN_NAME : a));

let stdinText: string | undefined;
/** Standard input, read once (several `-` arguments name the same text). A terminal is refused: it would wait for typing. */
export function readStdin(): string {
  if (stdinText !== undefined) return stdinText;
  if (process.stdin.isTTY)
    throw new CliError(
      "`-` reads the definition from standard input, but standard input is a terminal: pipe a file in (pipeglot validate - < pipeglot.yaml)",
      EXIT.usage,
    );
  try {
    stdinText = readFileSync(0, "utf8");
  } catch (e) {
    throw new CliError(`cannot read standard input: ${e instanceof Error ? e.message : String(e)}`, EXIT.problems);
  }
  return stdinText;
}

/** A numeric option's check: names the option and says "must be a number" for NaN. */
export function checkNumber(name: string, value: unknown, opts: { integer?: boolean; min?: number; max?: number } = {}): void {
  if (value === undefined) return;
  const values = Array.isArray(value) ? value : [value];
  for (const v of values) {
    const n = typeof v === "number" ? v : Number.NaN;
    if (!Number.isFinite(n)) throw new Error(`--${name} ${JSON.stringify(String(v))}: must be a number`);
    if (opts.integer && !Number.isInteger(n)) throw new Error(`--${name} ${n}: must be a whole number`);
    if (opts.min !== undefined && n < opts.min) throw new Error(`--${name} ${n}: must be ${opts.min} or more`);
    if (opts.max !== undefined && n > opts.max) throw new Error(`--${name} ${n}: must be ${opts.max} or less`);
  }
}

/**
 * A global check: a numeric option given text (yargs makes it NaN) is a usage error naming the
 * option and what was typed: `--runs-per-month "abc": must be a number`.
 */
export function numbersCheck(argv: readonly string[]) {
  return (args: Record<string, unknown>): true => {
    for (const [key, v] of Object.entries(args)) {
      const nan = typeof v === "number" ? Number.isNaN(v) : Array.isArray(v) && v.some((x) => typeof x === "number" && Number.isNaN(x));
      if (!nan || /[A-Z]/.test(key) || key.length === 1) continue;
      throw new Error(`--${key} ${JSON.stringify(rawValue(argv, key) ?? "NaN")}: must be a number`);
    }
    return true;
  };
}

/** What followed --key (or --key=) on the command line. */
function rawValue(argv: readonly string[], key: string): string | undefined {
  for (const [i, a] of argv.entries()) {
    if (a.startsWith(`--${key}=`)) return a.slice(key.length + 3);
    const next = argv[i + 1];
    if (a === `--${key}` && next !== undefined && Number.isNaN(Number(next))) return next;
  }
  return undefined;
}
