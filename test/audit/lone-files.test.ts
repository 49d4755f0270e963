/**
 * Why `audit examples/node-webapp/out` used to report Failed: each file was imported alone. A
 * file of a compile output read on its own is a fragment (a trigger, a deploy artifact, a stage
 * that runs nothing): its import may fail, but with the error of its format saying what is
 * missing — never PG-IMPORT-INVALID (the repair's "bug in pipeglot's importer") and never an
 * internal error. Over every file of every example's out/, with each provider's importer.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { importPipeline, type ProviderBase } from "@pipeglot/core";
import { provider as aws } from "@pipeglot/aws";
import { provider as azure } from "@pipeglot/azure";
import { provider as gcp } from "@pipeglot/gcp";
import { provider as oci } from "@pipeglot/oci";
import { examples, REPO } from "../helpers/paths.js";

const PROVIDERS: Record<string, ProviderBase> = { aws, azure, gcp, oci };

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)]));

describe.each(examples())("each file of examples/$name/out imported alone", (ex) => {
  it("fails, if it does, with its format's own error", () => {
    for (const [id, p] of Object.entries(PROVIDERS)) {
      const dir = join(ex.dir, "out", id);
      for (const f of filesUnder(dir).filter((f) => /\.(ya?ml|json)$/.test(f))) {
        const path = relative(REPO, f);
        const r = importPipeline(p, [{ path, content: readFileSync(f, "utf8") }]);
        const errors = r.diagnostics.filter((d) => d.severity === "error");
        for (const e of errors) expect(`${e.code} ${e.message}`, path).not.toMatch(/^PG-IMPORT-INVALID|internal error/);
        if (!r.pipeline) expect(errors.length, `${path}: no pipeline and no error`).toBeGreaterThan(0);
      }
    }
  });
});
