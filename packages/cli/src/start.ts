/**
 * The bundled CLI's launcher (dist/bundle/pipeglot.js, built by scripts/bundle.mjs): runs the CLI
 * (dist/bundle/pipeglot.cjs, one CommonJS script) through vm.Script with a V8 code cache, so that a
 * start deserializes compiled code instead of parsing and compiling ~1.4 MB of JavaScript again.
 *
 * The cache is keyed by the bundle's content hash (embedded at build time), node's version and
 * V8's, and the architecture: a cache from another build or another node is never read. It lives
 * in dist/.code-cache beside the package, or, when that is not writable (a global install), in the
 * user's cache folder. Set PIPEGLOT_CODE_CACHE=0 to switch it off, or to a folder to put it there.
 * The cache only ever speeds the CLI up: any failure to read or write it is ignored.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Script } from "node:vm";

declare const PIPEGLOT_BUNDLE_HASH: string;

const bundle = fileURLToPath(new URL("./pipeglot.cjs", import.meta.url));
const key = `pipeglot-${PIPEGLOT_BUNDLE_HASH}-node${process.versions.node}-v8${process.versions.v8}-${process.arch}.cache`;

/** Where the cache may live, first choice first. */
function cacheDirs(): string[] {
  const set = process.env.PIPEGLOT_CODE_CACHE;
  if (set === "0" || set === "off") return [];
  if (set) return [set];
  const user =
    process.platform === "win32"
      ? process.env.LOCALAPPDATA && join(process.env.LOCALAPPDATA, "pipeglot", "cache")
      : join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "pipeglot");
  return [join(dirname(bundle), "..", ".code-cache"), ...(user ? [user] : [])];
}

function readCache(dirs: readonly string[]): Buffer | undefined {
  for (const dir of dirs) {
    try {
      return readFileSync(join(dir, key));
    } catch {
      /* not there: try the next folder */
    }
  }
  return undefined;
}

/** Write the cache atomically into the first writable folder, removing the caches of other builds there. */
function writeCache(dirs: readonly string[], data: Buffer): void {
  for (const dir of dirs) {
    try {
      mkdirSync(dir, { recursive: true });
      const tmp = join(dir, `.${key}.${process.pid}`);
      writeFileSync(tmp, data);
      renameSync(tmp, join(dir, key));
      for (const f of readdirSync(dir)) if (/^pipeglot-.*\.cache$/.test(f) && f !== key) rmSync(join(dir, f), { force: true });
      return;
    } catch {
      /* not writable: try the next folder */
    }
  }
}

const dirs = cacheDirs();
const cachedData = dirs.length ? readCache(dirs) : undefined;
// The CommonJS wrapper node gives a module, plus import.meta.url (the bundle's own, as in an ES module) and import().
// The bundle is ASCII (scripts/bundle.mjs escapes the rest): read as latin1, a one-byte string.
const source = `(function (exports, require, module, __filename, __dirname, __pgImportMetaUrl, __pgImport) {${readFileSync(bundle, "latin1")}\n})`;
const script = new Script(source, {
  filename: bundle,
  cachedData,
});
if (dirs.length && (!cachedData || script.cachedDataRejected)) {
  // After the command ran, so the cache holds the functions it compiled along the way.
  process.once("exit", () => {
    try {
      writeCache(dirs, script.createCachedData());
    } catch {
      /* no cache this time */
    }
  });
}
// import() in the bundle (the cloud SDKs, the emulators, elkjs; scripts/bundle.mjs turns each into
// __pgImport): resolved from this folder, the bundle's own.
const importHere = (specifier: string): Promise<unknown> => import(specifier);
const module = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(
  module.exports,
  createRequire(bundle),
  module,
  bundle,
  dirname(bundle),
  pathToFileURL(bundle).href,
  importHere,
);
