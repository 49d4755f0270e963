// Bundle the CLI into dist/bundle/ so that start-up reads a few files instead of hundreds.
// Providers stay separate chunks (loaded only by commands that need them); cloud SDKs stay
// external (loaded from node_modules, only by commands that need the network).
import { build } from "esbuild";
import { chmod, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
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
  banner: { js: "import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);" },
});
await chmod(join(pkg, "dist/bundle/pipeglot.js"), 0o755);
