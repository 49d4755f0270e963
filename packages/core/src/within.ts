/**
 * Reading only inside a root (the repository): pull and import follow paths written in files
 * that someone else may have written (`specFile: ../../etc/passwd`, `template: /home/x`), so
 * such a path is read only when it resolves, symbolic links followed, inside the root.
 */
import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";

const real = (p: string) => (existsSync(p) ? realpathSync(p) : p);

/** The absolute path of `p` (relative to `base`) when it lies inside `root`; otherwise undefined. */
export function within(root: string, p: string, base = root): string | undefined {
  const at = real(isAbsolute(p) ? p : resolve(base, p));
  const rel = relative(real(resolve(root)), at);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel)) ? at : undefined;
}

/** The repository a file belongs to: the nearest folder above it holding .git, else its own folder. */
export function repositoryRoot(file: string): string {
  const start = dirname(resolve(file));
  for (let d = start; ; d = dirname(d)) {
    if (existsSync(join(d, ".git"))) return d;
    if (dirname(d) === d) return start;
  }
}
