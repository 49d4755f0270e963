/**
 * Golden output checks: the files a provider compiles for an example, byte for byte against
 * examples/<name>/out/<provider>/ (manifest.json included). UPDATE_GOLDEN=1 rewrites them.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { manifestOf, toJson, type ProviderOutput } from "@pipeglot/core";
import { UPDATE_GOLDEN } from "./paths.js";

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p).split("\\").join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

/** The files `out` would write, manifest included, as path → content. */
export function renderOutput(out: ProviderOutput): Map<string, string> {
  const m = new Map(out.files.map((f) => [f.path, f.content]));
  m.set("manifest.json", toJson(manifestOf(out)));
  return m;
}

/** Compare (or, with UPDATE_GOLDEN=1, rewrite) a golden folder. Returns the list of differences. */
export function checkGolden(dir: string, out: ProviderOutput): string[] {
  const want = renderOutput(out);
  if (UPDATE_GOLDEN) {
    rmSync(dir, { recursive: true, force: true });
    for (const [p, c] of want) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), c);
    }
    return [];
  }
  const problems: string[] = [];
  const have = listFiles(dir);
  for (const p of have) if (!want.has(p)) problems.push(`${p}: in the golden folder but no longer produced`);
  for (const [p, c] of want) {
    if (!have.includes(p)) problems.push(`${p}: produced but missing from the golden folder (run with UPDATE_GOLDEN=1 and review the diff)`);
    else if (readFileSync(join(dir, p), "utf8") !== c) problems.push(`${p}: differs from the golden file (run with UPDATE_GOLDEN=1 and review the diff)`);
  }
  return problems;
}
