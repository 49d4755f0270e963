/**
 * Every diagnostic code `compare` emits (the price file, compiling for each provider), in one
 * table; the package README lists them and a test checks that both agree.
 */
import type { CodeInfo, Diagnostic } from "@pipeglot/schema";

export const CODES = {
  "PG-PRICES-READ": { severity: "error", summary: "The price file cannot be read (missing, a folder, or no permission)." },
  "PG-PRICES-SYNTAX": { severity: "error", summary: "The price file is not valid JSON or YAML." },
  "PG-PRICES-INVALID": {
    severity: "error",
    summary:
      "The price file does not match its format: an unknown key, a wrong type, a figure without a source, a null figure without a note, or a runner size mapped to a machine the file does not price.",
  },
  "PG-COMPARE-COMPILE": {
    severity: "error",
    summary: "A provider's compiler threw on the pipeline: its column of the report has no files (the message says why).",
  },
} as const satisfies Record<string, CodeInfo>;

export type CompareCode = keyof typeof CODES;

/** A diagnostic with the code's severity from the table (so no code string is written outside it). */
export function compareDiagnostic(code: CompareCode, message: string, where: Partial<Omit<Diagnostic, "code" | "severity" | "message">> = {}): Diagnostic {
  return { severity: CODES[code].severity, code, message, path: "", ...where };
}
