import type { Diagnostic, JobIR } from "@pipeglot/schema";
import { CODES, type AzureCode } from "../diagnostics.js";
import type { Pos, Positions } from "./template/expand.js";
import type { MacroScope } from "./text.js";

export interface ImportCtx {
  file: string;
  positions: Positions;
  diagnostics: Diagnostic[];
  scope: MacroScope;
  /** IR pointer → native position. */
  map: Map<string, Pos>;
  /** The artifact steps each job's produces and consumes came from (for the artifact pass). */
  uses: Map<JobIR, ArtifactUse[]>;
}

/** An artifact step read as a produce or consume, kept so that a later pass can turn it back into a native step. */
export interface ArtifactUse {
  kind: "produce" | "consume";
  name: string;
  raw: Record<string, unknown>;
  /** Index in the job's steps where the step stood. */
  at: number;
}

export function report(ctx: ImportCtx, code: AzureCode, message: string, at: object | undefined, path = ""): void {
  const p = at ? ctx.positions.get(at) : undefined;
  ctx.diagnostics.push({ severity: CODES[code].severity, code, message, path, file: p?.file ?? ctx.file, line: p?.line ?? 1, column: p?.column ?? 1 });
}

export function mark(ctx: ImportCtx, ptr: string, at: object | undefined): void {
  const p = at ? ctx.positions.get(at) : undefined;
  if (p) ctx.map.set(ptr, p);
}

/** The code of a key given twice. */
export const DUPLICATE_KEY: AzureCode = "PG-ADO-IMPORT-DUPLICATE-KEY";

/** A diagnostic with its code's severity from the table, at a position worked out already. */
export function diagnosticAt(code: AzureCode, message: string, pos: { file: string; line: number; column: number }): Diagnostic {
  return { severity: CODES[code].severity, code, message, path: "", file: pos.file, line: pos.line, column: pos.column };
}
