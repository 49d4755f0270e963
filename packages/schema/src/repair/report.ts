import type { Diagnostic } from "../diagnostics.js";
import { REPAIR_CODES, type RepairCode } from "./codes.js";

/** Collects what the repair pass changed, one warning per change, each at the pointer (of the repaired IR) it changed. */
export class Repairs {
  readonly diagnostics: Diagnostic[] = [];
  /** Pointer prefixes that moved (a split step shifts the steps after it): new → where it came from. */
  readonly moves = new Map<string, string>();
  moved(to: string, from: string): void {
    if (to !== from) this.moves.set(to, from);
  }
  /** Where the thing at `ptr` of the repaired pipeline was in the importer's pipeline. */
  origin(ptr: string): string {
    for (let p = ptr; p; p = p.slice(0, p.lastIndexOf("/"))) {
      const from = this.moves.get(p);
      if (from !== undefined) return from + ptr.slice(p.length);
    }
    return ptr;
  }
  report(code: RepairCode, path: string, message: string, hint?: string): void {
    this.diagnostics.push({ severity: REPAIR_CODES[code].severity, code, message, path, ...(hint ? { hint } : {}) });
  }
}
