/**
 * Writing compiled output to disk: all or nothing. Files go to a temporary sibling folder first,
 * which then replaces DIR/<provider>; a failure leaves the previous output as it was.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { sortDiagnostics, type Diagnostic } from "@pipeglot/schema";
import { toJson } from "./emit.js";
import type { Manifest, ProviderOutput } from "./provider.js";
import { checkFileTarget, checkFolderTarget, type WriteGuard } from "./safe-write.js";

export function manifestOf(out: ProviderOutput, diagnostics: Diagnostic[] = out.diagnostics): Manifest {
  return {
    provider: out.provider,
    pipeline: out.pipeline,
    files: out.files.map((f) => ({ path: f.path, kind: f.kind })),
    diagnostics: sortDiagnostics(diagnostics),
  };
}

/**
 * Write DIR/<provider>/ with every file and manifest.json. Returns the folder written. Refuses
 * (UserError, nothing written) to replace a folder holding an input or files pipeglot did not write.
 */
export async function writeOutput(dir: string, out: ProviderOutput, diagnostics: Diagnostic[] = out.diagnostics, guard: WriteGuard = {}): Promise<string> {
  const final = resolve(dir, out.provider);
  await checkFolderTarget(final, guard);
  const tmp = `${final}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  try {
    for (const f of out.files) {
      const target = resolve(tmp, f.path);
      if (!target.startsWith(tmp + sep)) throw new Error(`refusing to write outside the output folder: ${f.path}`);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.content);
    }
    await mkdir(tmp, { recursive: true });
    await writeFile(join(tmp, "manifest.json"), toJson(manifestOf(out, diagnostics)));
    const old = `${final}.old-${process.pid}`;
    await rm(old, { recursive: true, force: true });
    await rename(final, old).catch(() => undefined);
    await rename(tmp, final);
    await rm(old, { recursive: true, force: true });
    return final;
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** True for the text of a pipeglot manifest.json ({ provider, pipeline, files: [{ path, kind }] }). */
export function isManifest(text: string): boolean {
  if (!/"provider"/.test(text) || !/"files"/.test(text)) return false;
  try {
    const v = JSON.parse(text) as Partial<Manifest>;
    return (
      typeof v.provider === "string" &&
      typeof v.pipeline === "string" &&
      Array.isArray(v.files) &&
      v.files.every((f) => typeof f?.path === "string" && typeof f?.kind === "string")
    );
  } catch {
    return false;
  }
}

/**
 * Importers given a compile output folder: split off its manifest.json, and keep the files it
 * lists as `kinds` (when given) — e.g. the API resources, not an alternative form of the same thing.
 */
export function splitManifest<F extends { path: string; content: string }>(
  files: readonly F[],
  kinds?: readonly string[],
): { manifest?: Manifest; files: F[] } {
  const m = files.find((f) => /(^|\/)manifest\.json$/.test(f.path) && isManifest(f.content));
  if (!m) return { files: [...files] };
  const manifest = JSON.parse(m.content) as Manifest;
  const dir = m.path.slice(0, m.path.length - "manifest.json".length);
  const kindOf = new Map(manifest.files.map((f) => [dir + f.path, f.kind]));
  const rest = files.filter((f) => f !== m && (!kinds || !kindOf.has(f.path) || kinds.includes(kindOf.get(f.path)!)));
  return { manifest, files: rest };
}

/**
 * Write `content` to `file` atomically (a temporary sibling, then rename). Returns the absolute path.
 * Refuses (UserError) to write over an input, or over anything but a regular file.
 */
export async function writeFileAtomic(file: string, content: string, guard: WriteGuard = {}): Promise<string> {
  const target = resolve(file);
  await checkFileTarget(target, guard);
  await mkdir(dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await writeFile(tmp, content);
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return target;
}
