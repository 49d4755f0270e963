/**
 * Shared golden runner, parameterised by provider. Two kinds of golden case:
 *
 * - the six examples: examples/<name>/pipeglot.yaml → examples/<name>/out/<provider>/;
 * - one pair per capability row: test/golden/<provider>/<feature>.pipeglot.yaml → the folder
 *   test/golden/<provider>/<feature>/ next to it (files + manifest.json, as renderOutput writes).
 *
 * Pairs are found by listing the folder: a new case is two new paths. A pair is named after the
 * feature it exercises (`<feature>`, or `<feature>--<variant>` for more than one case), and its
 * definition must use that feature. Every capability row needs a pair. UPDATE_GOLDEN=1 rewrites
 * the output folders (review the diff).
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FEATURES, usedFeatures, type FeatureId, type ProviderBase, type ProviderOutput } from "@pipeglot/core";
import { validateFile, type PipelineIR, type ProviderId } from "@pipeglot/schema";
import { checkGolden } from "../helpers/golden.js";
import { examples, REPO } from "../helpers/paths.js";

const SUFFIX = ".pipeglot.yaml";

export interface GoldenCase {
  /** `example:<name>` or the pair's name (`<feature>` or `<feature>--<variant>`). */
  name: string;
  /** The neutral definition. */
  file: string;
  /** The folder that holds the expected output. */
  expected: string;
  /** The feature a pair exercises (examples have none). */
  feature?: FeatureId;
}

/** test/golden/<provider>/ */
export const goldenDir = (id: ProviderId): string => join(REPO, "test/golden", id);

const featureOf = (name: string): FeatureId | undefined => {
  const f = name.split("--")[0]!;
  return f in FEATURES ? (f as FeatureId) : undefined;
};

/** The per-feature pairs of a provider, sorted by name. */
export function pairs(id: ProviderId): GoldenCase[] {
  const dir = goldenDir(id);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort()
    .map((name) => ({ name, file: join(dir, name + SUFFIX), expected: join(dir, name), feature: featureOf(name) }));
}

/** Every golden case of a provider: the examples, then the per-feature pairs. */
export function goldenCases(id: ProviderId): GoldenCase[] {
  const ex = examples().map((e) => ({ name: `example:${e.name}`, file: e.file, expected: join(e.dir, "out", id) }));
  return [...ex, ...pairs(id)];
}

/** The IR of a definition; throws with its diagnostics when it is not valid. */
export async function loadIr(file: string): Promise<PipelineIR> {
  const r = await validateFile(file);
  if (!r.ir) throw new Error(`${file}: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  return r.ir;
}

export interface GoldenOptions {
  /** Provider-specific checks of one compiled case (e.g. no secret value in the files). */
  check?: (c: GoldenCase, ir: PipelineIR, out: ProviderOutput) => void;
}

/** What every compiled output must satisfy, whatever the provider. */
function checkOutput(provider: ProviderBase, ir: PipelineIR, out: ProviderOutput): void {
  expect(provider.compile(structuredClone(ir)), "compiling twice gives the same output").toEqual(out);
  const paths = out.files.map((f) => f.path);
  expect(paths, "files sorted by path").toEqual([...paths].sort());
  for (const f of out.files) expect(f.content, `${f.path} has no CR`).not.toMatch(/\r/);
  for (const d of out.diagnostics) {
    expect(Object.keys(provider.codes), `${d.code} is in the code table`).toContain(d.code);
    expect(d.path === "" || d.path.startsWith("/"), `${d.code} points into the document: ${d.path}`).toBe(true);
  }
}

/** Layout checks: one pair per capability row, every pair names a feature it uses, no stray folders. */
function layoutSuite(provider: ProviderBase): void {
  const dir = goldenDir(provider.id);
  it(`has a golden pair in test/golden/${provider.id}/ for every capability row`, () => {
    const covered = new Set(pairs(provider.id).map((p) => p.feature));
    const missing = provider.capabilities.map((c) => c.feature).filter((f) => !covered.has(f as FeatureId));
    expect(missing, "add <feature>.pipeglot.yaml and run with UPDATE_GOLDEN=1").toEqual([]);
  });
  it("names every pair after a feature, and every output folder has its definition", () => {
    expect(
      pairs(provider.id)
        .filter((p) => !p.feature)
        .map((p) => p.name),
      "pair names are <feature> or <feature>--<variant>",
    ).toEqual([]);
    const defs = new Set(pairs(provider.id).map((p) => p.name));
    const folders = existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => e.name)
      : [];
    expect(
      folders.filter((f) => !defs.has(f)),
      "output folders without a definition",
    ).toEqual([]);
  });
}

export function goldenSuite(provider: ProviderBase, opts: GoldenOptions = {}): void {
  describe(`${provider.id} golden files`, () => {
    layoutSuite(provider);
    for (const c of goldenCases(provider.id)) {
      it(`${c.name}: compiles deterministically to ${c.expected.slice(REPO.length + 1)}`, async () => {
        const ir = await loadIr(c.file);
        if (c.feature)
          expect(
            usedFeatures(ir).map((u) => u.feature),
            `${c.name} uses ${c.feature}`,
          ).toContain(c.feature);
        const out = provider.compile(ir);
        checkOutput(provider, ir, out);
        opts.check?.(c, ir, out);
        expect(checkGolden(c.expected, out)).toEqual([]);
      });
    }
  });
}
