/**
 * What one local OCI run shares across its stages: the inputs, the compiled files, the stand-in
 * folder, the parameters and exported variables, the stage artifacts and the local stand-in of
 * Artifact Registry, and what the trace collects (jobs, gate results, notes).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { spawnSync } from "node:child_process";
import type { PipelineIR } from "@pipeglot/schema";
import type { LocalRunOptions } from "../options.js";
import type { Sandbox } from "../sandbox.js";
import { fileSet } from "../sandbox.js";
import type { FileSet, JobTrace } from "../trace.js";
import type { OciFiles } from "./files.js";

export interface RunContext {
  ir: PipelineIR;
  opts: LocalRunOptions;
  sandbox: Sandbox;
  files: OciFiles;
  /** PATH for every stage: the stand-ins first. */
  path: string;
  runId: string;
  /** Build pipeline parameter values of this run. */
  params: Record<string, string>;
  /** Variables exported by the stages that have finished (exportedVariables). */
  exported: Record<string, string>;
  /** Output artifacts of finished BUILD stages: name → stored file. */
  stageArtifacts: Map<string, string>;
  /** The local stand-in of Artifact Registry (a folder: <path>/<version>). */
  registry: string;
  jobs: Map<string, JobTrace>;
  /** Neutral stage → its gate's result when a gate was rejected. */
  rejected: Set<string>;
  /** A pipeline stage without a neutral job failed (deliver, trigger). */
  pipelineFailed: boolean;
  notes: string[];
}

/** Keeps a BUILD stage's output artifact (the file at its location) under its name. */
export function storeStageArtifact(ctx: RunContext, name: string, file: string): void {
  const dest = join(ctx.sandbox.root, "oci-stage-artifacts", name, "artifact");
  rmSync(dirname(dest), { recursive: true, force: true });
  mkdirSync(dirname(dest), { recursive: true });
  cpSync(file, dest);
  ctx.stageArtifacts.set(name, dest);
}

/** What an artifact file holds: a .tgz's files, or the one file itself. */
export function artifactFiles(ctx: RunContext, file: string, name: string): FileSet {
  const dir = mkdtempSync(join(ctx.sandbox.root, "tmp", "oci-unpack-"));
  try {
    const r = spawnSync("tar", ["-xzf", file, "-C", dir], { stdio: "ignore" });
    if (r.status === 0) return fileSet(dir);
    cpSync(file, join(dir, name));
    return fileSet(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Artifact Registry stand-in: the file of a generic artifact at path and version. */
export function registryFile(ctx: RunContext, path: string, version: string): string {
  return join(ctx.registry, path.replace(/^\/+/, ""), version);
}
