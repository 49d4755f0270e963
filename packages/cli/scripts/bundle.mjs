// Bundle the CLI into dist/bundle/ so that start-up reads a few files instead of hundreds.
// Providers stay separate chunks (loaded only by commands that need them); cloud SDKs stay
// external (loaded from node_modules, only by commands that need the network), and so does
// @pipeglot/emulators: the published package depends on nothing else. The version is embedded
// from package.json; compare's price file is copied to dist/prices, and the repository's examples
// (their definitions only) to dist/examples for `pipeglot demo` in an installed CLI: examples/ and
// packages/compare/prices stay the one source.
import { build } from "esbuild";
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
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

await swapIn("bundle", async (outdir) => {
  const result = await build({
    // pipeglot.js runs the command; index.js is the package's import (main, EXIT), sharing its chunks.
    entryPoints: { pipeglot: join(pkg, "dist/bin.js"), index: join(pkg, "dist/index.js") },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
    metafile: true,
    minify: process.env.PIPEGLOT_BUNDLE_MINIFY !== "0",
    legalComments: "linked",
    sourcemap: true,
    chunkNames: "chunks/[name]-[hash]",
    external: ["@aws-sdk/*", "@smithy/*", "@google-cloud/*", "google-gax", "google-auth-library", "oci-*", "azure-devops-node-api", "@pipeglot/emulators"],
    define: { PIPEGLOT_CLI_VERSION: JSON.stringify(version) },
    banner: { js: "import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);" },
  });
  await chmod(join(outdir, "pipeglot.js"), 0o755);
  await writeFile(join(outdir, "THIRD-PARTY-LICENSES.txt"), await thirdPartyNotices(result.metafile));
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
