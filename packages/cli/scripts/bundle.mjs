// Bundle the CLI into dist/bundle/ so that start-up reads a few files instead of hundreds.
// Providers stay separate chunks (loaded only by commands that need them); cloud SDKs stay
// external (loaded from node_modules, only by commands that need the network). The version is
// embedded from package.json, and the repository's examples (their definitions only) are copied to
// dist/examples for `pipeglot demo` in an installed CLI: examples/ stays the one source.
import { build } from "esbuild";
import { chmod, copyFile, mkdir, readdir, readFile, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const { version } = JSON.parse(await readFile(join(pkg, "package.json"), "utf8"));
await rm(join(pkg, "dist/bundle"), { recursive: true, force: true });
await build({
  entryPoints: { pipeglot: join(pkg, "dist/bin.js") },
  outdir: join(pkg, "dist/bundle"),
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
await chmod(join(pkg, "dist/bundle/pipeglot.js"), 0o755);

const examples = join(pkg, "../../examples");
const shipped = join(pkg, "dist/examples");
await rm(shipped, { recursive: true, force: true });
for (const name of (await readdir(examples)).sort()) {
  if (!existsSync(join(examples, name, "pipeglot.yaml"))) continue;
  await mkdir(join(shipped, name), { recursive: true });
  await copyFile(join(examples, name, "pipeglot.yaml"), join(shipped, name, "pipeglot.yaml"));
}
