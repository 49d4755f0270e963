#!/usr/bin/env node
// The `pipeglot` command: starts the bundled CLI (dist/bundle, built by `npm run build`). This small
// launcher is committed so that npm can link the command at install time, before the build runs.
import { existsSync } from "node:fs";

const bundle = new URL("../dist/bundle/pipeglot.js", import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write("pipeglot: the CLI is not built yet; run `npm run build` in the repository first\n");
  process.exit(3);
}
await import(bundle.href);
