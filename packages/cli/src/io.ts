/**
 * Everything the CLI prints goes through here: diagnostics with source lines and carets, JSON,
 * colours only on a TTY (and never with NO_COLOR), errors as one line without a stack.
 */
import pc from "picocolors";
import { formatDiagnostic, sortDiagnostics, summarize, type Diagnostic } from "@pipeglot/schema";

export type Format = "text" | "json";

export const EXIT = { ok: 0, problems: 1, usage: 2, internal: 3 } as const;

/** A user-facing failure: printed as one line, exit code as given. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

const useColor = (stream: NodeJS.WriteStream) => Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== "dumb";

export const colors = () =>
  useColor(process.stderr)
    ? {
        error: (s: string) => pc.bold(pc.red(s)),
        warning: (s: string) => pc.bold(pc.yellow(s)),
        info: pc.cyan,
        caret: (s: string) => pc.bold(pc.green(s)),
        dim: pc.dim,
      }
    : undefined;

export function out(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : text + "\n");
}

export function err(text: string): void {
  process.stderr.write(text.endsWith("\n") ? text : text + "\n");
}

export function printJson(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

/** Print diagnostics to stderr in the user format, with source lines when the text is known. */
export function printDiagnostics(diags: readonly Diagnostic[], sources: ReadonlyMap<string, string>): void {
  const c = colors();
  for (const d of sortDiagnostics(diags)) err(formatDiagnostic(d, { sources, ...(c ? { colors: c } : {}) }));
}

export function summaryLine(diags: readonly Diagnostic[]): string {
  return summarize(diags);
}
