/**
 * Translate every example's native output of each provider into each other provider: the result
 * must pass the target's vendor oracles, and every loss row must point into the ORIGINAL native file.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { translate, type NativeFile, type ProviderBase } from "@pipeglot/core";
import { PROVIDER_IDS, validateFile, type PipelineIR, type ProviderId } from "@pipeglot/schema";
import { provider as aws } from "@pipeglot/aws";
import { provider as azure } from "@pipeglot/azure";
import { provider as gcp } from "@pipeglot/gcp";
import { provider as oci } from "@pipeglot/oci";
import { examples, sharedOrSkip } from "../helpers/paths.js";
import { conformanceCheckers, ociTypeProblems } from "../conformance/index.js";
import type { ProviderOutput } from "@pipeglot/core";

const PROVIDERS: Record<ProviderId, ProviderBase> = { aws, azure, gcp, oci };
const HAS = sharedOrSkip("cross-provider translation conformance");

describe.runIf(HAS)("translate A → B passes B's oracles", () => {
  let checkers: ReturnType<typeof conformanceCheckers>;
  const ociOutputs: Record<string, ProviderOutput> = {};
  const irs = new Map<string, PipelineIR>();
  beforeAll(async () => {
    checkers = conformanceCheckers();
    for (const ex of examples()) irs.set(ex.name, (await validateFile(ex.file)).ir!);
  });
  for (const ex of examples())
    for (const from of PROVIDER_IDS)
      it(`${ex.name}: ${from} → every provider`, () => {
        const native: NativeFile[] = PROVIDERS[from].compile(irs.get(ex.name)!).files.map((f) => ({ path: f.path, content: f.content }));
        const targets = PROVIDER_IDS.filter((p) => p !== from).map((p) => PROVIDERS[p]);
        const r = translate(native, PROVIDERS[from], targets);
        expect(
          r.importDiagnostics.filter((d) => d.severity === "error"),
          `import from ${from}`,
        ).toEqual([]);
        expect(r.pipeline).toBeDefined();
        for (const t of r.targets) {
          const check = checkers[t.provider];
          expect(check(t.output), `${from} → ${t.provider}`).toEqual([]);
          if (t.provider === "oci") ociOutputs[`${ex.name}-from-${from}`] = t.output;
          expect(t.output.files.length).toBeGreaterThan(0);
          for (const l of t.losses) {
            expect(["native", "emulated", "lossy"]).toContain(l.support);
            if (l.file !== undefined)
              expect(
                native.map((f) => f.path),
                `${l.feature} points into the original files`,
              ).toContain(l.file);
          }
        }
      });
  it("every translation into OCI type-checks against the oci-devops model types", () => {
    expect(Object.keys(ociOutputs).length).toBe(examples().length * 3);
    const problems = ociTypeProblems(ociOutputs);
    expect(Object.fromEntries(problems)).toEqual({});
  });
});
