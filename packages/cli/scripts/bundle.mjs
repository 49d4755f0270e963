// Bundle the CLI into dist/bundle/ so that start-up reads a few files instead of hundreds.
// The command runs from pipeglot.cjs, one CommonJS script that pipeglot.js (src/start.ts) starts
// through vm.Script with a V8 code cache; index.js, the package's import, is an ES module whose
// providers are separate chunks. Cloud SDKs stay external (loaded from node_modules, only by
// commands that need the network), and so does @pipeglot/emulators: the published package depends
// on nothing else. The version is embedded from package.json; compare's price file is copied to
// dist/prices, and the repository's examples (their definitions only) to dist/examples for
// `pipeglot demo` in an installed CLI: examples/ and packages/compare/prices stay the one source.
import { build } from "esbuild";
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { builtinModules } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const { version } = JSON.parse(await readFile(join(pkg, "package.json"), "utf8"));

/** Build into a fresh folder, then swap it in: a CLI run during a build never finds a half-written bundle. */
async function swapIn(name, fill) {
  const next = join(pkg, `dist/.${name}-next-${process.pid}`);
  const old = join(pkg, `dist/.${name}-old-${process.pid}`);
  await rm(next, { recursive: true, force: true });
  try {
    await fill(next);
  } catch (e) {
    await rm(next, { recursive: true, force: true });
    throw e;
  }
  if (existsSync(join(pkg, "dist", name))) await rename(join(pkg, "dist", name), old);
  await rename(next, join(pkg, "dist", name));
  await rm(old, { recursive: true, force: true });
}

/**
 * The bundle holds third-party code whose licenses ask for their notice with every copy: one file
 * with each bundled package's name, version, license and license text (from the esbuild metafile).
 */
async function thirdPartyNotices(metafile) {
  const roots = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.replace(/\\/g, "/"));
    if (m) roots.set(m[1], join(process.cwd(), m[1]));
  }
  const entries = [];
  for (const dir of new Set(roots.values())) {
    const meta = JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
    const file = (await readdir(dir)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = file ? (await readFile(join(dir, file), "utf8")).trim() : `(no license file; package.json says ${meta.license ?? "nothing"})`;
    entries.push(`${meta.name}@${meta.version} — ${meta.license ?? "unknown"}\n\n${text}\n`);
  }
  const head = "Third-party code bundled in dist/bundle of @pipeglot/cli, with each package's license.\n";
  return [head, ...[...new Set(entries)].sort()].join(`\n${"-".repeat(78)}\n\n`);
}

const EXTERNAL = ["@aws-sdk/*", "@smithy/*", "@google-cloud/*", "google-gax", "google-auth-library", "oci-*", "azure-devops-node-api", "@pipeglot/emulators"];
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  logLevel: "warning",
  metafile: true,
  minify: process.env.PIPEGLOT_BUNDLE_MINIFY !== "0",
  legalComments: "linked",
  sourcemap: true,
  external: EXTERNAL,
  define: { PIPEGLOT_CLI_VERSION: JSON.stringify(version) },
};

/**
 * yargs, cliui and wrap-ansi measure text with string-width, whose module builds an Intl.Segmenter
 * and Unicode-property regular expressions as it loads: a fifth of a start. Printable ASCII is as
 * wide as it is long in every string-width version here, so a wrapper answers that case and loads
 * string-width (a lazy require, so a lazy module in the bundle) only for other text: the same widths.
 */
const asciiStringWidth = {
  name: "ascii-string-width",
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (a) =>
      a.pluginData?.real
        ? undefined
        : { path: `string-width-for-${relative(pkg, a.resolveDir).replace(/[\\/]+/g, "+")}`, namespace: "ascii-width", pluginData: a.resolveDir },
    );
    b.onLoad({ filter: /.*/, namespace: "ascii-width" }, (a) => ({
      contents: `let real;
export default function stringWidth(s, options) {
  if (typeof s === "string" && /^[\\x20-\\x7e]*$/.test(s)) return s.length;
  real ??= require("string-width").default;
  return real(s, options);
}`,
      resolveDir: a.pluginData,
      pluginData: { real: true },
    }));
  },
};

/** What the CLI's script may import at run time: node's modules, the SDKs, the emulators and the elkjs chunk. */
function checkExternals(metafile, allowed) {
  const sdk = new RegExp(`^(${EXTERNAL.map((e) => e.replace(/[.]/g, "\\.").replace("*", ".*")).join("|")})(/|$)`);
  for (const out of Object.values(metafile.outputs))
    for (const i of out.imports)
      if (i.external && !i.path.startsWith("node:") && !builtinModules.includes(i.path) && !sdk.test(i.path) && i.path !== allowed)
        throw new Error(`the CLI bundle would import ${i.path} at run time`);
}

await swapIn("bundle", async (outdir) => {
  // index.js: the package's import (main, EXIT), an ES module with code-split chunks.
  const esm = await build({
    ...common,
    entryPoints: { index: join(pkg, "dist/index.js") },
    outdir,
    splitting: true,
    format: "esm",
    chunkNames: "chunks/[name]-[hash]",
    plugins: [asciiStringWidth],
    banner: { js: "import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);" },
  });
  // pipeglot.cjs: the command, one script for the code cache. elkjs (1.5 MB, only for graphs) stays
  // out of it: it imports index.js's elkjs chunk, which has no state to share.
  const elk = Object.entries(esm.metafile.outputs).find(([, o]) => Object.keys(o.inputs).some((i) => i.includes("elkjs/lib/elk.bundled.js")))?.[0];
  if (!elk) throw new Error("no elkjs chunk in the ES module build");
  const elkChunk = `./chunks/${elk.split("/chunks/")[1]}`;
  const cjs = await build({
    ...common,
    entryPoints: { pipeglot: join(pkg, "dist/bin.js") },
    outdir,
    outExtension: { ".js": ".cjs" },
    format: "cjs",
    define: { ...common.define, "import.meta.url": "__pgImportMetaUrl" },
    plugins: [
      asciiStringWidth,
      { name: "elk-chunk", setup: (b) => b.onResolve({ filter: /^elkjs\/lib\/elk\.bundled\.js$/ }, () => ({ path: elkChunk, external: true })) },
    ],
  });
  checkExternals(cjs.metafile, elkChunk);
  // The launcher wraps the script in a function: its hashbang becomes a comment (same lines for the
  // source map). esbuild leaves non-ASCII characters in regular expressions: escaped too, the script
  // is ASCII, which the launcher reads as latin1 into a one-byte string, far quicker than UTF-8.
  // A script's import() needs a vm flag on node 20: each import("…") (the SDKs, the emulators, the
  // elkjs chunk) calls the launcher's __pgImport instead, which imports from the same folder.
  let dynamic = 0;
  const script = (await readFile(join(outdir, "pipeglot.cjs"), "utf8"))
    .replace(/^#!/, "//")
    .replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/(?<![\w$.])import\((?=")/g, () => (dynamic++, "__pgImport("));
  const expected = Object.values(cjs.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.kind === "dynamic-import" && i.external)).length;
  if (dynamic !== expected || /(?<![\w$.])import\(/.test(script)) throw new Error(`pipeglot.cjs: ${dynamic} import("…") replaced, ${expected} expected`);
  await writeFile(join(outdir, "pipeglot.cjs"), script);
  await build({
    entryPoints: { pipeglot: join(pkg, "dist/start.js") },
    outdir,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    logLevel: "warning",
    minify: true,
    banner: { js: "#!/usr/bin/env node" },
    define: { PIPEGLOT_BUNDLE_HASH: JSON.stringify(createHash("sha256").update(script).digest("hex").slice(0, 16)) },
  });
  await chmod(join(outdir, "pipeglot.js"), 0o755);
  const inputs = { ...esm.metafile.inputs, ...cjs.metafile.inputs };
  await writeFile(join(outdir, "THIRD-PARTY-LICENSES.txt"), await thirdPartyNotices({ inputs }));
});

// compare's bundled price file, where its loader looks first from the bundle (dist/prices/).
await swapIn("prices", async (dir) => {
  await mkdir(dir, { recursive: true });
  await copyFile(join(pkg, "../compare/prices/prices.json"), join(dir, "prices.json"));
});

const examples = join(pkg, "../../examples");
await swapIn("examples", async (shipped) => {
  for (const name of (await readdir(examples)).sort()) {
    if (!existsSync(join(examples, name, "pipeglot.yaml"))) continue;
    await mkdir(join(shipped, name), { recursive: true });
    await copyFile(join(examples, name, "pipeglot.yaml"), join(shipped, name, "pipeglot.yaml"));
  }
});

// The code cache of the previous build is stale: drop it, then fill it with a run of validate (the
// functions a start compiles). Only a speed-up: a failure here is reported, not fatal.
await rm(join(pkg, "dist/.code-cache"), { recursive: true, force: true });
const warm = spawnSync(process.execPath, [join(pkg, "dist/bundle/pipeglot.js"), "validate", join(pkg, "dist/examples/node-webapp/pipeglot.yaml")], {
  stdio: "ignore",
});
if (warm.status !== 0) console.warn(`bundle: warming the code cache: pipeglot validate exited ${warm.status}`);
