/**
 * CodePipeline artifacts on this machine: a folder per artifact name (the zip CodePipeline keeps
 * in its artifact store, unpacked). The source action's output is the repository snapshot.
 */
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileSet, matchFiles, type Sandbox } from "../sandbox.js";
import type { FileSet } from "../trace.js";
import type { ArtifactSpec, Buildspec } from "./compiled.js";

export class ArtifactStore {
  private readonly dirs = new Map<string, string>();
  constructor(private readonly sandbox: Sandbox) {}

  /** The source action's output artifact: the repository at the run's commit. */
  setSource(name: string): void {
    this.dirs.set(name, this.sandbox.snapshot);
  }

  has(name: string): boolean {
    return this.dirs.has(name);
  }

  /** Unpacks artifact `name` into `dir` (its files at the artifact's root). */
  restore(name: string, dir: string): boolean {
    const from = this.dirs.get(name);
    if (!from) return false;
    mkdirSync(dir, { recursive: true });
    cpSync(from, dir, { recursive: true });
    return true;
  }

  /** Stores the files `spec` selects under `srcDir` as artifact `name`; undefined when nothing matched. */
  upload(name: string, srcDir: string, spec: ArtifactSpec): FileSet | undefined {
    // artifacts.files are globs relative to base-directory (default: the primary source folder);
    // discard-paths flattens them (DOCS.buildspec, "artifacts").
    const base = spec["base-directory"] ? join(srcDir, spec["base-directory"]) : srcDir;
    const files = existsSync(base) ? matchFiles(base, spec.files ?? []) : [];
    if (files.length === 0) return undefined;
    const store = join(this.sandbox.root, "aws-artifacts", name);
    rmSync(store, { recursive: true, force: true });
    const flat = spec["discard-paths"] === "yes" || spec["discard-paths"] === true;
    for (const f of files) {
      const to = join(store, flat ? basename(f) : f);
      mkdirSync(dirname(to), { recursive: true });
      cpSync(join(base, f), to);
    }
    this.dirs.set(name, store);
    return fileSet(store);
  }
}

/**
 * The buildspec's artifact section for each output artifact of the action: one output takes
 * `artifacts`; several take `secondary-artifacts.<output name>` (DOCS.codeBuildAction, "Output artifacts").
 */
export function artifactSpecs(spec: Buildspec, outputs: readonly string[]): Map<string, ArtifactSpec | undefined> {
  const out = new Map<string, ArtifactSpec | undefined>();
  const a = spec.artifacts;
  if (outputs.length === 1) out.set(outputs[0]!, a?.files ? a : a?.["secondary-artifacts"]?.[outputs[0]!]);
  else for (const o of outputs) out.set(o, a?.["secondary-artifacts"]?.[o]);
  return out;
}
