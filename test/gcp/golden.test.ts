/**
 * Golden files: the examples and the per-feature pairs (test/golden/gcp/), through the shared
 * runner; and no secret value in any build (every versionName is the declared gcp reference, or
 * the documented assumption for a secret without one, PG-GCB-SECRET-MISSING).
 */
import { expect } from "vitest";
import { parse } from "yaml";
import { provider } from "@pipeglot/gcp";
import { goldenSuite } from "../runner/golden.js";

goldenSuite(provider, {
  check: (_c, ir, out) => {
    for (const f of out.files.filter((f) => f.kind === "cloudbuild.BuildConfig")) {
      const build = parse(f.content) as { availableSecrets?: { secretManager: { versionName: string; env: string }[] } };
      for (const s of build.availableSecrets?.secretManager ?? [])
        expect(s.versionName).toBe(ir.secrets[s.env]!.gcp ?? `projects/$PROJECT_ID/secrets/${s.env}/versions/latest`);
    }
  },
});
