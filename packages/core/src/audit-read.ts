/**
 * ImportOptions.readFile for the audit: a file the pipeline names (a template, a build file) is
 * read from the audited files only — never from the disk — so that what an audit reads is what it
 * found and grouped. A path is relative to the main file's folder; a path from the repository root
 * (`/eng/x.yml`) is the audited file that ends with it, the one nearest the main file.
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
  return (path: string) => {
    const p = slashes(path);
    if (!p.startsWith("/")) return byPath.get(posix.normalize(posix.join(base, p)));
    const ends = [...byPath.keys()].filter((k) => k.endsWith(p) || k === p.slice(1));
    ends.sort((a, b) => shared(b, main) - shared(a, main) || a.length - b.length);
    return ends[0] !== undefined ? byPath.get(ends[0]) : undefined;
  };
}
