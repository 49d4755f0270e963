/**
 * What every part of the Cloud Build import shares: where a build or trigger is (its file and
 * pointer), diagnostics through the code table at native positions, and the IR positions kept
 * for the source map.
 */
import { isObject, reporter } from "@pipeglot/core";
import type { Diagnostic, PipelineIR, SourceMap } from "@pipeglot/schema";
import { CODES, type GcbCode } from "../diagnostics.js";
import type { Json } from "./parse.js";
import type { TextCtx } from "./steps.js";

const TRIGGER_KEYS = [
  "build",
  "filename",
  "github",
  "triggerTemplate",
  "repositoryEventConfig",
  "sourceToBuild",
  "pubsubConfig",
  "webhookConfig",
  "gitFileSource",
  "autodetect",
];

export const isBuild = (v: unknown): v is Json => isObject(v) && Array.isArray(v.steps);
export const isTrigger = (v: unknown): v is Json => isObject(v) && !Array.isArray(v.steps) && TRIGGER_KEYS.some((k) => k in v);

export interface Located {
  value: Json;
  file: string;
  /** Pointer of this object in its native file. */
  ptr: string;
  sm: SourceMap;
}

export type LocatedTrigger = Located & { build?: Located };

export interface Reporter {
  readonly diagnostics: Diagnostic[];
  /** A diagnostic at `ptr` of a native file. */
  at(code: GcbCode, where: { sm: SourceMap; file: string }, ptr: string, message: string): void;
  /** A diagnostic at a position worked out already (none: no position). */
  atPos(code: GcbCode, pos: { file: string; line: number; column: number } | undefined, message: string): void;
}

export function importReporter(): Reporter {
  const diagnostics: Diagnostic[] = [];
  const report = reporter(CODES, diagnostics);
  const atPos = (code: GcbCode, pos: { file: string; line: number; column: number } | undefined, message: string) => {
    report(code, "", message);
    if (pos) Object.assign(diagnostics[diagnostics.length - 1]!, { file: pos.file, line: pos.line, column: pos.column });
  };
  return {
    diagnostics,
    atPos,
    at: (code, where, ptr, message) => {
      const p = where.sm.locate(ptr);
      atPos(code, { file: where.file, line: p.line, column: p.column }, message);
    },
  };
}

/** The pipeline being assembled from the builds (parts), and what the parts share. */
export interface PipelineCx {
  rep: Reporter;
  ir: PipelineIR;
  gcp: NonNullable<PipelineIR["targets"]["gcp"]>;
  tctx: TextCtx;
  /** Every build was written by pipeglot (its owner tag). */
  own: boolean;
  /** The triggers that run a build. */
  trigOf: (b: Located) => LocatedTrigger[];
  /** IR pointer → native position (the builds' steps and jobs). */
  irMap: Map<string, { loc: Located; ptr: string }>;
  /** Build-level fields without a neutral home (native.gcp). */
  nativeBuild: Json;
  /** Secret name → pointer of its declaration. */
  secretsPtr: Map<string, string>;
}
