import type { AzureTarget, Diagnostic, PipelineIR } from "@pipeglot/schema";
import { reporter } from "@pipeglot/core";
import { CODES } from "../diagnostics.js";
import type { RefNames } from "./text.js";

export interface Ctx {
  ir: PipelineIR;
  target: AzureTarget;
  report: ReturnType<typeof reporter<keyof typeof CODES>>;
  refs: RefNames;
  diagnostics: Diagnostic[];
  /** Neutral artifact name → the Azure artifact a consumer downloads (matrix producers: the last entry's). */
  artifactNames: Map<string, string>;
}

/** Minutes for a timeout in seconds, rounded up; reports when rounding changed the value. */
export function minutes(ctx: Ctx, seconds: number, path: string): number {
  const m = Math.max(1, Math.ceil(seconds / 60));
  if (m * 60 !== seconds) ctx.report("PG-ADO-TIMEOUT-ROUNDED", path, `timeout of ${seconds}s rounded up to ${m} minute(s)`);
  return m;
}
