/**
 * A job's artifacts as Cloud Build keeps them: what the build uploaded to Cloud Storage (the
 * local stand-in) with `gsutil cp` — the compile's `pipeglot__upload-artifacts` tarball, read
 * back by unpacking it and taking the artifact's paths from it. An artifact that no later build
 * consumes is not uploaded: it only lives in the build's /workspace, and is not kept.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { ArtifactIR } from "@pipeglot/schema";
import { fileSet, matchFiles, type Sandbox } from "../sandbox.js";
import type { FileSet } from "../trace.js";
import type { RanBuild } from "./chain.js";
import { byText } from "@pipeglot/schema";

/** Unpacks uploaded tarballs once each: local object path → folder. */
export class Unpacked {
  private readonly dirs = new Map<string, string | undefined>();
  constructor(
    private readonly sandbox: Sandbox,
    private readonly gcs: string,
  ) {}

  /** The folders of the tarballs `build` uploaded (objects that are not tarballs are left out). */
  uploadsOf(build: RanBuild): string[] {
    const out: string[] = [];
    for (const [, dst] of build.copies) {
      if (!dst.startsWith("gs://") || !/\.(tgz|tar\.gz)$/.test(dst)) continue;
      const dir = this.unpack(`${this.gcs}/${dst.slice("gs://".length)}`);
      if (dir) out.push(dir);
    }
    return out;
  }

  private unpack(object: string): string | undefined {
    if (!this.dirs.has(object)) {
      let dir: string | undefined;
      if (existsSync(object)) {
        dir = this.sandbox.workspace("gcs-object", false);
        try {
          execFileSync("tar", ["-xzf", object, "-C", dir], { stdio: "ignore" });
        } catch {
          dir = undefined;
        }
      }
      this.dirs.set(object, dir);
    }
    return this.dirs.get(object);
  }
}

/** The artifact's files in the uploaded tarballs, or undefined when none was uploaded. */
export function uploadedArtifact(a: ArtifactIR, folders: readonly string[]): FileSet | undefined {
  if (!folders.length) return undefined;
  const out: FileSet = {};
  for (const dir of folders) {
    const all = fileSet(dir);
    for (const f of matchFiles(dir, a.paths)) if (all[f] !== undefined) out[f] = all[f];
  }
  return Object.fromEntries(Object.entries(out).sort(byText(([k]) => k)));
}
