import type { CodeInfo, Diagnostic } from "@pipeglot/schema";

/**
 * A typed reporter over one code table: `report(code, path, message, hint?)` with the code's severity.
 * Compilers use it so that no code string is written outside their table.
 */
export function reporter<C extends string>(codes: Readonly<Record<C, CodeInfo>>, out: Diagnostic[]) {
  return (code: C, path: string, message: string, hint?: string): void => {
    out.push({ severity: codes[code].severity, code, message, path, ...(hint ? { hint } : {}) });
  };
}
