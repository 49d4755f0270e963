/**
 * ImportOptions.readFile for the audit: a file the pipeline names (a template, a build file) is
 * read from the audited files only — never from the disk — so that what an audit reads is what it
 * found and grouped. A path is relative to the main file's folder, or as the importer resolved it,
 * or from a folder above (the repository root); a path from the root (`/eng/x.yml`) is the audited
 * file that ends with it, the one nearest the main file.
 */
import { posix } from "node:path";
import type { ImportOptions, NativeFile } from "./provider.js";

const slashes = (p: string) => p.replace(/\\/g, "/");

/** How many leading folders two paths share. */
function shared(a: string, b: string): number {
  const x = a.split("/");
  const y = b.split("/");
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i;
}

export function readerAmong(files: readonly NativeFile[], main: string): NonNullable<ImportOptions["readFile"]> {
  const byPath = new Map(files.map((f) => [posix.normalize(slashes(f.path)), f.content]));
  const base = posix.dirname(slashes(main));
  const ancestors: string[] = [];
  for (let d = base; ; d = posix.dirname(d)) {
    ancestors.push(d);
    if (d === posix.dirname(d)) break;
  }
  return (path: string) => {
    const p = slashes(path);
    if (!p.startsWith("/")) {
      // Relative to the main file's folder; else as the importer resolved it (the audited files' frame); else from a folder above (the repository root).
      const at = [posix.join(base, p), posix.normalize(p), ...ancestors.slice(1).map((a) => posix.join(a, p))].find((k) => byPath.has(k));
      return at !== undefined ? byPath.get(at) : undefined;
    }
    const ends = [...byPath.keys()].filter((k) => k.endsWith(p) || k === p.slice(1));
    ends.sort((a, b) => shared(b, main) - shared(a, main) || a.length - b.length);
    return ends[0] !== undefined ? byPath.get(ends[0]) : undefined;
  };
}
