/**
 * `compile --check`: the committed output folder against what compile would write now. Reads
 * only; each file that differs, is missing, or is no longer generated is named.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { manifestOf, toJson, type ProviderOutput } from "@pipeglot/core";
import { byText } from "@pipeglot/schema";

interface StaleFile {
  path: string;
  why: "differs" | "missing" | "no longer generated";
}

/** Every file under dir, as paths relative to it with / separators; none when dir does not exist. */
async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"));
  } catch {
    return [];
  }
}

/** The files of <out>/<provider>/ that are not what compile would write (manifest.json included). */
export async function staleFiles(outDir: string, output: ProviderOutput): Promise<StaleFile[]> {
  const dir = join(outDir, output.provider);
  const wanted = new Map(output.files.map((f) => [f.path, f.content]));
  wanted.set("manifest.json", toJson(manifestOf(output, output.diagnostics)));
  const stale: StaleFile[] = [];
  for (const [path, content] of [...wanted].sort(byText(([k]) => k))) {
    const shown = join(dir, path).split(sep).join("/");
    let text: string;
    try {
      text = await readFile(join(dir, path), "utf8");
    } catch {
      stale.push({ path: shown, why: "missing" });
      continue;
    }
    if (text !== content) stale.push({ path: shown, why: "differs" });
  }
  for (const path of (await listFiles(dir)).sort())
    if (!wanted.has(path)) stale.push({ path: join(dir, path).split(sep).join("/"), why: "no longer generated" });
  return stale;
}
