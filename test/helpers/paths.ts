/** Paths shared by the cross-package tests. */
import { existsSync, readdirSync } from "node:fs";
import { describe, it } from "vitest";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** ../shared beside the repository: oracles and corpus, read at test time, never copied in. */
export const SHARED = process.env.PIPEGLOT_SHARED ? resolve(process.env.PIPEGLOT_SHARED) : resolve(REPO, "../shared");
export const HAS_SHARED = existsSync(join(SHARED, "oracles")) && existsSync(join(SHARED, "corpus"));
export const ORACLES = join(SHARED, "oracles");
export const CORPUS = join(SHARED, "corpus");

/** Say loudly why a suite is skipped, so that no test is skipped silently. */
export function sharedOrSkip(what: string): boolean {
  if (!HAS_SHARED) console.warn(`SKIPPED ${what}: ${SHARED} is absent (oracles and corpus live beside the repository)`);
  return HAS_SHARED;
}

export interface Example {
  name: string;
  dir: string;
  file: string;
}

/** Every bundled example: examples/<name>/pipeglot.yaml, sorted by name. */
export function examples(): Example[] {
  const root = join(REPO, "examples");
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, "pipeglot.yaml")))
    .map((d) => ({ name: d.name, dir: join(root, d.name), file: join(root, d.name, "pipeglot.yaml") }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === "1";

/**
 * A suite that needs ../shared: registered only when it is there (its body may read oracles and
 * corpus files while collecting tests); otherwise one skipped test says why, and so does the log.
 */
export function sharedSuite(what: string, fn: () => void | Promise<void>): void {
  if (sharedOrSkip(what)) describe(what, fn);
  else it.skip(`${what} (needs ${SHARED})`, () => undefined);
}
