import { readdir, readFile, stat } from "node:fs/promises";
import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  detectProvider,
  isNeutralDocument,
  repositoryRoot,
  within,
  type AnyProvider,
  type ImportOptions,
  type NativeFile,
  type UnreadFile,
} from "@pipeglot/core";
import { inputTooLarge, MAX_INPUT_BYTES, PROVIDER_IDS, type Diagnostic, type ProviderId } from "@pipeglot/schema";
import { EXIT, CliError, printDiagnostics } from "../io.js";
import { undetected } from "./detect.js";
import { loadProvider, loadProviders } from "../registry.js";
import { isStdin, readStdin, STDIN_NAME } from "../options.js";
import { byText } from "@pipeglot/schema";

const NATIVE_EXT = /\.(ya?ml|json)$/i;

interface WalkOptions {
  /** Folders (by name) not to descend into. */
  skipDir(name: string): boolean;
  /** Files (by name) to pass over. */
  skipFile?(name: string): boolean;
}

/** What a walk found: the files read, and a PG-INPUT-TOO-LARGE error for each file over the size pipeglot reads (never read). */
interface NativeFiles {
  files: NativeFile[];
  tooLarge: Diagnostic[];
  /** Both, in the order they were found. */
  all: (NativeFile | UnreadFile)[];
}

/** The YAML/JSON text files under a folder, recursively, in name order; binary files are passed over. */
export async function nativeFilesIn(dir: string, opts: WalkOptions): Promise<NativeFiles> {
  const out: NativeFiles = { files: [], tooLarge: [], all: [] };
  const walk = async (d: string): Promise<void> => {
    for (const e of (await readdir(d, { withFileTypes: true })).sort(byText((x) => x.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (!opts.skipDir(e.name)) await walk(p);
      } else if (NATIVE_EXT.test(e.name) && !opts.skipFile?.(e.name)) {
        // The size from the file system, before reading: a huge file costs a stat, not its bytes.
        const size = (await stat(p)).size;
        if (size > MAX_INPUT_BYTES) {
          const problem = inputTooLarge(p, size);
          out.tooLarge.push(problem);
          out.all.push({ path: p, problem });
          continue;
        }
        const buf = await readFile(p);
        if (buf.includes(0)) continue;
        const file = { path: p, content: buf.toString("utf8") };
        out.files.push(file);
        out.all.push(file);
      }
    }
  };
  await walk(dir);
  return out;
}

/**
 * Read the named files; a folder stands for the YAML/JSON files in it (recursively, sorted), but
 * for the pipeglot definitions among them (unless it holds nothing else).
 * A file over the size pipeglot reads is never read: every such file is reported (file:1:1) and
 * the command stops with exit 1 before anything is parsed or written.
 */
async function readNativeFiles(paths: readonly string[]): Promise<NativeFile[]> {
  const out: Omit<NativeFiles, "all"> = { files: [], tooLarge: [] };
  // A pipeglot definition in a folder (an earlier import's output) is not one of its native files; named alone, it is what was given.
  const definitions: NativeFile[] = [];
  const add = async (p: string): Promise<void> => {
    if (isStdin(p)) {
      out.files.push({ path: STDIN_NAME, content: readStdin() });
      return;
    }
    let s;
    try {
      s = await stat(p);
    } catch {
      throw new CliError(`cannot read ${p}: no such file or folder`, EXIT.problems);
    }
    if (s.isDirectory()) {
      const hidden = (name: string) => name.startsWith(".") || name === "node_modules";
      const found = await nativeFilesIn(p, { skipDir: hidden, skipFile: hidden });
      out.files.push(...found.files.filter((f) => !isNeutralDocument(f)));
      definitions.push(...found.files.filter(isNeutralDocument));
      out.tooLarge.push(...found.tooLarge);
      return;
    }
    if (s.size > MAX_INPUT_BYTES) {
      out.tooLarge.push(inputTooLarge(p, s.size));
      return;
    }
    const buf = await readFile(p);
    if (buf.includes(0)) throw new CliError(`${p} is not a text file`, EXIT.problems);
    out.files.push({ path: p, content: buf.toString("utf8") });
  };
  for (const p of paths) await add(p);
  stopOnTooLarge(out.tooLarge);
  if (out.files.length === 0) out.files.push(...definitions);
  if (out.files.length === 0) throw new CliError(`no YAML or JSON files found in ${paths.join(", ")}`, EXIT.problems);
  return out.files;
}

/** Print the PG-INPUT-TOO-LARGE errors and stop with exit 1 (nothing is written). */
function stopOnTooLarge(tooLarge: readonly Diagnostic[]): void {
  if (!tooLarge.length) return;
  printDiagnostics(tooLarge, new Map());
  throw new CliError(
    `PG-INPUT-TOO-LARGE: ${tooLarge.length} file${tooLarge.length === 1 ? " is" : "s are"} larger than the ${MAX_INPUT_BYTES / 1048576} MiB pipeglot reads; nothing was written`,
    EXIT.problems,
  );
}

/**
 * ImportOptions.readFile for the CLI: paths relative to the folder of the first input file. A file
 * over the size pipeglot reads is not read: it reads as absent, and its PG-INPUT-TOO-LARGE error is
 * added to `tooLarge` for the command to report.
 */
function fileReader(files: readonly NativeFile[], roots: readonly string[] = [], tooLarge: Diagnostic[] = []): (p: string) => string | undefined {
  const base = files[0] ? dirname(files[0].path) : ".";
  // Paths named inside the files (templates, build specs) are read only inside the input's
  // repository, or a --template-root the user named; anything else reads as absent.
  const allowed = [files[0] ? repositoryRoot(files[0].path) : process.cwd(), ...roots];
  const isFile = (f: string) => {
    try {
      return statSync(f).isFile();
    } catch {
      return false;
    }
  };
  return (p: string) => {
    // Relative to the main file's folder, else as the importer resolved it (from where pipeglot runs), else to the repository root (Azure's `/eng/x.yml`, a trigger's filename).
    const at = allowed
      .flatMap((root) => [within(root, p, base), within(root, p, process.cwd()), within(root, p, root)])
      .find((x) => x !== undefined && isFile(x));
    if (!at) return undefined;
    try {
      const size = statSync(at).size;
      if (size > MAX_INPUT_BYTES) {
        if (!tooLarge.some((d) => d.file === p)) tooLarge.push(inputTooLarge(p, size));
        return undefined;
      }
      return readFileSync(at, "utf8");
    } catch {
      return undefined;
    }
  };
}

/** --template-root NAME=DIR (repeatable) → { NAME: DIR }. */
function parseTemplateRoots(values: readonly string[]): Record<string, string> {
  const roots: Record<string, string> = {};
  for (const tr of values) {
    const m = /^([^=]+)=(.+)$/.exec(tr);
    if (!m) throw new CliError(`--template-root expects NAME=DIR, got ${JSON.stringify(tr)}`);
    roots[m[1]!] = m[2]!;
  }
  return roots;
}

/** The provider named by --from, or the one detection recognizes (./detect.ts); exit 1 with a format-neutral code when none does. */
export async function sourceProvider(from: ProviderId | undefined, files: readonly NativeFile[], shown: readonly string[]): Promise<AnyProvider> {
  if (from) return loadProvider(from);
  const found = detectProvider(await loadProviders(PROVIDER_IDS), files);
  if (!found) {
    const d = undetected(files, shown);
    printDiagnostics([d], new Map(files.map((f) => [f.path, f.content])));
    throw new CliError(`${d.code}: no provider's format recognized; pass --from aws|azure|gcp|oci to choose one`, EXIT.problems);
  }
  return found.provider;
}

interface InputArgs {
  files: string[];
  from?: ProviderId;
  templateRoot: string[];
}

/** What import and translate read from native files: the files, their provider and the import options. */
interface NativeInput {
  files: NativeFile[];
  provider: AnyProvider;
  options: ImportOptions;
  tooLarge: Diagnostic[];
}

/**
 * A pipeglot definition among the files: import refuses it (exit 1: it is pipeglot's format
 * already, there is nothing to import); translate reads it alone, as compile does.
 */
function neutralAmong(files: readonly NativeFile[], command: "import" | "translate"): NativeFile | undefined {
  const neutral = files.find(isNeutralDocument);
  if (!neutral) return undefined;
  if (command === "import")
    throw new CliError(
      `PG-IMPORT-UNKNOWN-FORMAT: ${neutral.path} is a pipeglot definition already (pipeglot: at the top), so there is nothing to import: import reads native pipeline files; validate, compile or translate read this one as it is`,
      EXIT.problems,
    );
  if (files.length > 1)
    throw new CliError(
      `${neutral.path} is a pipeglot definition: translate reads it alone, or the native files of one pipeline; give it on its own`,
      EXIT.usage,
    );
  return neutral;
}

/**
 * What import and translate read: the files (folders expanded), their provider, and the import
 * options. `tooLarge` fills while importing, with the files named inside them (templates, build
 * specs) that are over the size pipeglot reads: when it is not empty, the command writes nothing.
 * A pipeglot definition is refused by import and handed back alone to translate (`neutral`).
 */
export async function nativeInput(args: InputArgs, command?: "import"): Promise<NativeInput>;
export async function nativeInput(args: InputArgs, command: "translate"): Promise<NativeInput | { neutral: NativeFile }>;
export async function nativeInput(args: InputArgs, command: "import" | "translate" = "import"): Promise<NativeInput | { neutral: NativeFile }> {
  const files = await readNativeFiles(args.files);
  const neutral = neutralAmong(files, command);
  if (neutral) return { neutral };
  const templateRoots = parseTemplateRoots(args.templateRoot);
  const provider = await sourceProvider(args.from, files, args.files);
  const tooLarge: Diagnostic[] = [];
  return { files, provider, options: { templateRoots, readFile: fileReader(files, Object.values(templateRoots), tooLarge) }, tooLarge };
}
