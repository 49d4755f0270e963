/** What the runtimes tests share: the run's fake commit, short hashes as traces hold them, definitions, jobs of a trace, scratch folders. */
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { validate, validateFile, type PipelineIR } from "@pipeglot/schema";
import type { JobTrace, Trace } from "@pipeglot/runtimes";

/** The commit every local run builds unless told otherwise (FAKE_COMMIT, written out). */
export const COMMIT = "0123456789abcdef0123456789abcdef01234567";

/** A trace's file hash: sha256, 16 hex digits. */
export const h = (text: string): string => createHash("sha256").update(text).digest("hex").slice(0, 16);

export async function irOf(file: string): Promise<PipelineIR> {
  const r = await validateFile(file);
  if (!r.ir) throw new Error(`${file} does not validate`);
  return r.ir;
}

export function irOfText(text: string): PipelineIR {
  const r = validate(text);
  if (!r.ir) throw new Error(`does not validate: ${JSON.stringify(r.diagnostics)}`);
  return r.ir;
}

export function job(t: Trace, key: string): JobTrace {
  const j = t.jobs.find((x) => x.key === key);
  if (!j) throw new Error(`no job ${key} in ${t.jobs.map((x) => x.key).join(", ")}`);
  return j;
}

/** A scratch folder removed after the file's tests. */
export function scratchFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A folder under `root` with the given files (path → content; a `#!` content is made executable). */
export function folderWith(root: string, name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), content);
    if (content.startsWith("#!")) chmodSync(join(dir, p), 0o755);
  }
  return dir;
}
