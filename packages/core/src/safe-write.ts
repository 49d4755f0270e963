/**
 * What pipeglot may write over: nothing it read, nothing it did not write, nothing but a regular
 * file or a folder. Each refusal is a UserError (a usage error: choose another --out), raised
 * before anything is written.
 */
import { lstat, readdir, readFile, stat } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { UserError } from "./errors.js";

export interface WriteGuard {
  /** Files the command read (its input): never written over, never inside a replaced folder. */
  inputs?: readonly string[];
}

const statOf = (p: string) => lstat(p).catch(() => undefined);
const inside = (child: string, dir: string) => child === dir || child.startsWith(dir + sep);

/** The nearest existing folder above `abs` must be a folder (following links): `--out a-file` is a usage error, not ENOTDIR. */
async function checkParent(abs: string, shown: string): Promise<void> {
  for (let p = dirname(abs); ; p = dirname(p)) {
    const st = await stat(p).catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? undefined : e));
    if (st instanceof Error) {
      if (st.code === "ENOTDIR") continue;
      throw new UserError(`cannot write ${shown}: ${p} cannot be read (${st.code ?? st.message})`);
    }
    if (st === undefined) {
      if (dirname(p) === p) return;
      continue;
    }
    if (!st.isDirectory()) throw new UserError(`cannot write ${shown}: ${p} is a file, not a folder; choose another --out`);
    return;
  }
}

/** A file `target` may be replaced: absent, or a regular file that is not an input. */
export async function checkFileTarget(target: string, guard: WriteGuard = {}): Promise<void> {
  const abs = resolve(target);
  await checkParent(abs, target);
  if (guard.inputs?.some((i) => resolve(i) === abs)) throw new UserError(`refusing to write ${target}: it is one of the input files`);
  const st = await statOf(abs);
  if (st && !st.isFile())
    throw new UserError(
      `refusing to write ${target}: it is ${st.isDirectory() ? "a folder" : st.isSymbolicLink() ? "a symbolic link" : "not a regular file (a device, FIFO or socket)"}`,
    );
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

/**
 * A folder `dir` may be replaced wholesale: absent, or a real folder holding only what a pipeglot
 * manifest.json in it lists (so: an earlier output of pipeglot), and no input.
 */
export async function checkFolderTarget(dir: string, guard: WriteGuard = {}): Promise<void> {
  const abs = resolve(dir);
  const input = guard.inputs?.find((i) => inside(resolve(i), abs));
  if (input) throw new UserError(`refusing to replace ${dir}: it holds the input ${input}; write the output somewhere else (--out)`);
  await checkParent(abs, dir);
  const st = await statOf(abs);
  if (!st) return;
  if (!st.isDirectory()) throw new UserError(`refusing to replace ${dir}: it is ${st.isSymbolicLink() ? "a symbolic link" : "not a folder"}`);
  const listed = new Set(["manifest.json"]);
  try {
    const m = JSON.parse(await readFile(join(abs, "manifest.json"), "utf8")) as { files?: { path?: unknown }[] };
    for (const f of m.files ?? []) if (typeof f.path === "string") listed.add(f.path);
  } catch {
    listed.clear();
  }
  const foreign = (await filesUnder(abs)).map((f) => relative(abs, f).split(sep).join("/")).filter((f) => !listed.has(f));
  if (foreign.length)
    throw new UserError(
      `refusing to replace ${dir}: it holds files pipeglot did not write (${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ", …" : ""}); choose another --out`,
    );
}
