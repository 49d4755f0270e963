/**
 * The CLI's version: the bundle has it embedded (scripts/bundle.mjs defines PIPEGLOT_CLI_VERSION
 * from package.json); the unbundled build in dist/ reads this package's package.json.
 * Never the version of the project the command runs in.
 */
import { readFileSync } from "node:fs";

declare const PIPEGLOT_CLI_VERSION: string | undefined;

export function cliVersion(): string {
  if (typeof PIPEGLOT_CLI_VERSION === "string") return PIPEGLOT_CLI_VERSION;
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: unknown };
  return typeof pkg.version === "string" ? pkg.version : "unknown";
}
