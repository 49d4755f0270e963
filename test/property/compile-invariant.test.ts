/**
 * The compile invariant (ARCHITECTURE.md, invariant 2) as a property: every definition `validate`
 * accepts compiles, for all four providers, without throwing, deterministically, to output that
 * passes the vendor oracles (test/conformance) — or the compile reports an error whose `path`
 * points into the definition.
 *
 * `npm test` runs PROPERTY_RUNS cases (default 200) with shrinking; `npm run fuzz` runs FUZZ_RUNS
 * cases (scripts/fuzz.mjs), counts failures per provider without stopping, and prints the figures
 * and the smallest failing definition per provider.
 */
import fc from "fast-check";
import { stringify } from "yaml";
import { beforeAll, expect, it } from "vitest";
import { PROVIDER_IDS, validate, type PipelineDocument, type ProviderId } from "@pipeglot/schema";
import { documentArb } from "../helpers/arbitrary.js";
import { sharedSuite } from "../helpers/paths.js";
import { conformanceCheckers, ociTypeProblems } from "../conformance/index.js";
import { irOf, verdict, verdicts, type Checkers } from "./invariant.js";

const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 0);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

it("the generator's definitions all validate (checked on its own, without ../shared)", () => {
  fc.assert(
    fc.property(documentArb, (doc) => {
      const errors = validate(stringify(doc), { file: "random.yaml" }).diagnostics.filter((d) => d.severity === "error");
      expect(errors.map((e) => `${e.code} ${e.path} ${e.message}`)).toEqual([]);
    }),
    { numRuns: 50 },
  );
}, 300_000);

sharedSuite("compile invariant over random valid definitions", () => {
  let checkers: Checkers;
  beforeAll(() => {
    checkers = conformanceCheckers();
  });

  it.runIf(!FUZZ_RUNS)(
    `${RUNS} random definitions: every provider conforms or declines with a positioned error`,
    () => {
      fc.assert(
        fc.property(documentArb, (doc) => {
          const v = verdicts(doc, checkers);
          expect(Object.fromEntries(PROVIDER_IDS.map((p) => [p, v[p].violations]))).toEqual({ aws: [], azure: [], gcp: [], oci: [] });
        }),
        { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) },
      );
    },
    600_000,
  );

  it.runIf(!FUZZ_RUNS)(
    "the OCI resources of 25 random definitions type-check against the oci-devops model types",
    () => {
      const outputs = Object.fromEntries(
        fc.sample(documentArb, { numRuns: 25, seed: SEED ?? 42 }).map((doc, i) => [`case${i}`, verdict(doc, irOf(doc), "oci", checkers).output!]),
      );
      expect(Object.fromEntries(ociTypeProblems(outputs))).toEqual({});
    },
    600_000,
  );

  it.runIf(FUZZ_RUNS > 0)(
    `fuzz: ${FUZZ_RUNS} random definitions`,
    () => {
      const figures = fuzz(FUZZ_RUNS, checkers);
      console.log(report(figures));
      expect(figures.failures).toEqual({ aws: 0, azure: 0, gcp: 0, oci: 0 });
    },
    24 * 3600_000,
  );
});

interface Figures {
  cases: number;
  ms: number;
  failures: Record<ProviderId, number>;
  declined: Record<ProviderId, number>;
  /** Per failing provider, a failing definition shrunk by fast-check, with its violations. */
  smallest: Partial<Record<ProviderId, { doc: PipelineDocument; violations: string[] }>>;
  seed: number;
}

function fuzz(runs: number, checkers: Checkers): Figures {
  const seed = SEED ?? Date.now() % 2 ** 31;
  const zero = () => ({ aws: 0, azure: 0, gcp: 0, oci: 0 });
  const f: Figures = { cases: 0, ms: 0, failures: zero(), declined: zero(), smallest: {}, seed };
  const start = performance.now();
  for (const doc of fc.sample(documentArb, { numRuns: runs, seed })) {
    const v = verdicts(doc, checkers);
    f.cases++;
    for (const p of PROVIDER_IDS) {
      if (v[p].declined) f.declined[p]++;
      if (!v[p].violations.length) continue;
      f.failures[p]++;
    }
    if (f.cases % 1000 === 0)
      console.log(`fuzz: ${f.cases}/${runs} cases, failures ${JSON.stringify(f.failures)}, ${Math.round((performance.now() - start) / 1000)} s`);
  }
  f.ms = performance.now() - start;
  for (const p of PROVIDER_IDS) if (f.failures[p]) f.smallest[p] = shrunk(p, runs, seed, checkers);
  return f;
}

/** The first failing definition for one provider from the same seed, shrunk. */
function shrunk(p: ProviderId, runs: number, seed: number, checkers: Checkers): { doc: PipelineDocument; violations: string[] } | undefined {
  const run = fc.check(
    fc.property(documentArb, (doc) => verdict(doc, irOf(doc), p, checkers).violations.length === 0),
    { numRuns: runs, seed },
  );
  const doc = run.counterexample?.[0];
  return doc ? { doc, violations: verdict(doc, irOf(doc), p, checkers).violations.slice(0, 5) } : undefined;
}

function report(f: Figures): string {
  const lines = [`fuzz (seed ${f.seed}): ${f.cases} cases in ${(f.ms / 1000).toFixed(1)} s`];
  for (const p of PROVIDER_IDS) lines.push(`  ${p.padEnd(6)} failures ${f.failures[p]}, declined with a positioned error ${f.declined[p]}`);
  for (const [p, s] of Object.entries(f.smallest))
    if (s) lines.push(`--- a failing definition for ${p}, shrunk:`, ...s.violations.map((v) => `  ${v.slice(0, 400)}`), stringify(s.doc));
  return lines.join("\n");
}
