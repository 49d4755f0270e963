import { readdir, readFile, stat } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { detectProvider, repositoryRoot, within, type ImportOptions, type NativeFile, type Provider } from "@pipeglot/core";
import { PROVIDER_IDS, type ProviderId } from "@pipeglot/schema";
import { EXIT, CliError, printDiagnostics } from "../io.js";
import { undetected } from "./detect.js";
import { loadProvider, loadProviders } from "../registry.js";

const NATIVE_EXT = /\.(ya?ml|json)$/i;

export interface WalkOptions {
  /** Folders (by name) not to descend into. */
  skipDir(name: string): boolean;
  /** Files (by name) to pass over. */
  skipFile?(name: string): boolean;
  /** Larger files are passed over. */
  maxBytes?: number;
}

/** The YAML/JSON text files under a folder, recursively, in name order; binary files are passed over. */
export async function nativeFilesIn(dir: string, opts: WalkOptions): Promise<NativeFile[]> {
  const out: NativeFile[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (!opts.skipDir(e.name)) await walk(p);
      } else if (NATIVE_EXT.test(e.name) && !opts.skipFile?.(e.name)) {
        const buf = await readFile(p);
        if ((opts.maxBytes !== undefined && buf.length > opts.maxBytes) || buf.includes(0)) continue;
        out.push({ path: p, content: buf.toString("utf8") });
      }
    }
  };
  await walk(dir);
  return out;
}

/** Read the named files; a folder stands for the YAML/JSON files in it (recursively, sorted). */
export async function readNativeFiles(paths: readonly string[]): Promise<NativeFile[]> {
  const out: NativeFile[] = [];
  const add = async (p: string): Promise<void> => {
    let s;
    try {
      s = await stat(p);
    } catch {
      throw new CliError(`cannot read ${p}: no such file or folder`, EXIT.problems);
    }
    if (s.isDirectory()) {
      const hidden = (name: string) => name.startsWith(".") || name === "node_modules";
      out.push(...(await nativeFilesIn(p, { skipDir: hidden, skipFile: hidden })));
      return;
    }
    const buf = await readFile(p);
    if (buf.includes(0)) throw new CliError(`${p} is not a text file`, EXIT.problems);
    out.push({ path: p, content: buf.toString("utf8") });
  };
  for (const p of paths) await add(p);
  if (out.length === 0) throw new CliError(`no YAML or JSON files found in ${paths.join(", ")}`, EXIT.problems);
  return out;
}

/** ImportOptions.readFile for the CLI: paths relative to the folder of the first input file. */
export function fileReader(files: readonly NativeFile[], roots: readonly string[] = []): (p: string) => string | undefined {
  const base = files[0] ? dirname(files[0].path) : ".";
  // Paths named inside the files (templates, build specs) are read only inside the input's
  // repository, or a --template-root the user named; anything else reads as absent.
  const allowed = [files[0] ? repositoryRoot(files[0].path) : process.cwd(), ...roots];
  return (p: string) => {
    const at = allowed.map((root) => within(root, p, base)).find((x) => x !== undefined);
    if (!at) return undefined;
    try {
      return readFileSync(at, "utf8");
    } catch {
      return undefined;
    }
  };
}

/** --template-root NAME=DIR (repeatable) → { NAME: DIR }. */
export function parseTemplateRoots(values: readonly string[]): Record<string, string> {
  const roots: Record<string, string> = {};
  for (const tr of values) {
    const m = /^([^=]+)=(.+)$/.exec(tr);
    if (!m) throw new CliError(`--template-root expects NAME=DIR, got ${JSON.stringify(tr)}`);
    roots[m[1]!] = m[2]!;
  }
  return roots;
}

/** The provider named by --from, or the one detection recognizes (./detect.ts); exit 1 with a format-neutral code when none does. */
export async function sourceProvider(from: ProviderId | undefined, files: readonly NativeFile[], shown: readonly string[]): Promise<Provider> {
  if (from) return loadProvider(from);
  const found = detectProvider(await loadProviders(PROVIDER_IDS), files);
  if (!found) {
    const d = undetected(files, shown);
    printDiagnostics([d], new Map(files.map((f) => [f.path, f.content])));
    throw new CliError(`${d.code}: no provider's format recognized; pass --from aws|azure|gcp|oci to choose one`, EXIT.problems);
  }
  return found.provider;
}

/** What import and translate read: the files (folders expanded), their provider, and the import options. */
export async function nativeInput(args: { files: string[]; from?: ProviderId; templateRoot: string[] }): Promise<{ files: NativeFile[]; provider: Provider; options: ImportOptions }> {
  const files = await readNativeFiles(args.files);
  const templateRoots = parseTemplateRoots(args.templateRoot);
  const provider = await sourceProvider(args.from, files, args.files);
  return { files, provider, options: { templateRoots, readFile: fileReader(files, Object.values(templateRoots)) } };
}
