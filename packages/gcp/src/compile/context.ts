import type { Diagnostic, PipelineIR } from "@pipeglot/schema";
import { reporter } from "@pipeglot/core";
import { CODES } from "../diagnostics.js";
import { GIT_BRANCH } from "./render.js";

export interface Ctx {
  ir: PipelineIR;
  diagnostics: Diagnostic[];
  report: ReturnType<typeof reporter<keyof typeof CODES>>;
  /** Neutral variable name → substitution key. */
  subst: Map<string, string>;
  /**
   * How the branch is written in the build being compiled: `${BRANCH_NAME}${TAG_NAME}` in the
   * first build; `${_PIPEGLOT_BRANCH}` in a build a previous one starts (it is started with
   * --sha, so it has no branch of its own: the previous build passes its branch on).
   */
  branch: string;
}

export function makeCtx(ir: PipelineIR): Ctx {
  const diagnostics: Diagnostic[] = [];
  return { ir, diagnostics, report: reporter(CODES, diagnostics), subst: new Map(), branch: GIT_BRANCH };
}

export const MAX_SECONDS = 86400;
