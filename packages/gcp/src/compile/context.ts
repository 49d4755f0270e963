import type { Diagnostic, PipelineIR } from "@pipeglot/schema";
import { reporter } from "@pipeglot/core";
import { CODES } from "../diagnostics.js";

export interface Ctx {
  ir: PipelineIR;
  diagnostics: Diagnostic[];
  report: ReturnType<typeof reporter<keyof typeof CODES>>;
  /** Neutral variable name → substitution key. */
  subst: Map<string, string>;
}

export function makeCtx(ir: PipelineIR): Ctx {
  const diagnostics: Diagnostic[] = [];
  return { ir, diagnostics, report: reporter(CODES, diagnostics), subst: new Map() };
}

export const MAX_SECONDS = 86400;
