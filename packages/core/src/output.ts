/**
 * Writing compiled output to disk: all or nothing. Files go to a temporary sibling folder first,
 * which then replaces DIR/<provider>; a failure leaves the previous output as it was.
 */
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { sortDiagnostics, type Diagnostic } from "@pipeglot/schema";
import { toJson } from "./emit.js";
import type { Manifest, ProviderOutput } from "./provider.js";

export function manifestOf(out: ProviderOutput, diagnostics: Diagnostic[] = out.diagnostics): Manifest {
  return {
    provider: out.provider,
    pipeline: out.pipeline,
    files: out.files.map((f) => ({ path: f.path, kind: f.kind })),
    diagnostics: sortDiagnostics(diagnostics),
  };
}

/** Write DIR/<provider>/ with every file and manifest.json. Returns the folder written. */
export async function writeOutput(dir: string, out: ProviderOutput, diagnostics: Diagnostic[] = out.diagnostics): Promise<string> {
  const final = resolve(dir, out.provider);
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
