/**
 * What every part of the OCI import shares: the importer (diagnostics through the code table,
 * positions of the IR for the source map), the job drafts, and small readers of native values.
 */
import { isObject, reporter } from "@pipeglot/core";
import type { Diagnostic, JobIR, PipelineIR, Position, SourceMap } from "@pipeglot/schema";
import { CODES, type OciCode } from "../diagnostics.js";
import type { ParsedClause } from "./commands.js";
import type { Item } from "./files.js";

import type { Obj } from "@pipeglot/core";
export type { Obj };
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined);
export const tagsOf = (v: Obj): Record<string, string> => (isObject(v.freeformTags) ? (v.freeformTags as Record<string, string>) : {});

export class Importer {
  readonly diagnostics: Diagnostic[] = [];
  private readonly push = reporter(CODES, this.diagnostics);
  readonly positions = new Map<string, Position>();
  constructor(readonly firstFile: string) {}

  /** A diagnostic at a native item (and a pointer inside it). */
  report(code: OciCode, at: { item: Item; ptr?: string }, message: string): void {
    this.reportAt(code, at.item.map.locate(`${at.item.pointer}${at.ptr ?? ""}`), message);
  }

  /** A diagnostic at a position worked out already (none: no position). */
  reportAt(code: OciCode, pos: { file: string; line: number; column: number } | undefined, message: string): void {
    this.push(code, "", message);
    if (!pos) return;
    const d = this.diagnostics[this.diagnostics.length - 1]!;
    Object.assign(d, { file: pos.file, line: pos.line, column: pos.column });
  }

  mark(irPtr: string, item: Item, ptr = ""): void {
    if (!this.positions.has(irPtr)) this.positions.set(irPtr, item.map.locate(`${item.pointer}${ptr}`));
  }

  sourceMap(): SourceMap {
    const positions = this.positions;
    const file = this.firstFile;
    const locate = (ptr: string): Position => {
      let p = ptr;
      for (;;) {
        const hit = positions.get(p);
        if (hit) return hit;
        if (p === "") return { file, line: 1, column: 1 };
        p = p.slice(0, p.lastIndexOf("/"));
      }
    };
    return { file, locate, locateInString: (ptr) => locate(ptr) };
  }
}

export interface JobDraft {
  stageName: string;
  stageIndex: number;
  jobIndex: number;
  stageNeeds?: string[];
  name: string;
  cell: number;
  job: JobIR;
  clauses: ParsedClause[][];
  /** OCI stage id (OCID or symbolic ref) → for predecessors. */
  ids: string[];
  preds: string[];
  matrixValues: Record<string, string>;
  item: Item;
  /** Native position of each imported step (same order as job.steps). */
  stepAt: { item: Item; ptr: string }[];
}

export interface DraftOpts {
  stageName: string;
  name: string;
  deploy: boolean;
  params: Map<string, string>;
  secrets: PipelineIR["secrets"];
  ours: boolean;
}

/** A native position: an item and a pointer inside it. */
export interface At {
  item: Item;
  ptr: string;
}
