import type { Diagnostic } from "../diagnostics.js";
import { REPAIR_CODES, type RepairCode } from "./codes.js";

/** Collects what the repair pass changed, one warning per change, each at the IR pointer it changed. */
export class Repairs {
  readonly diagnostics: Diagnostic[] = [];
  report(code: RepairCode, path: string, message: string, hint?: string): void {
    this.diagnostics.push({ severity: REPAIR_CODES[code].severity, code, message, path, ...(hint ? { hint } : {}) });
  }
}
