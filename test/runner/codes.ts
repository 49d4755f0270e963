/**
 * Shared codes runner, parameterised by provider: the diagnostic code table, the capability table
 * and the package README are the same facts.
 *
 * - every code in provider.codes is documented in packages/<provider>/README.md;
 * - one capability row per feature; every code a row names exists; every lossy or emulated row
 *   names one (exceptions are data, with a reason, and must still be exceptions);
 * - every code is emitted by at least one test input: compile of every golden case (examples and
 *   pairs, ./golden.ts), import of every compiled golden output, import of the native fixtures in
 *   test/fixtures/<dirs> and in ../shared/corpus/<dirs> (and compile of what they give), and the
 *   provider's own extra inputs. A code
 *   no input can emit is listed as data with a reason, and the test fails once an input emits it.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { FEATURES, type NativeFile, type ProviderBase } from "@pipeglot/core";
import { normalize, type PipelineDocument } from "@pipeglot/schema";
import { CORPUS, REPO, sharedOrSkip } from "../helpers/paths.js";
import { goldenCases, loadIr } from "./golden.js";

export interface CodesOptions {
  /** Folders of native files (under test/fixtures/ and ../shared/corpus/) each imported on its own. */
  nativeDirs: string[];
  /** Neutral documents beyond the golden cases that exercise a code (objects, as written). */
  documents?: Record<string, unknown>;
  /** Native inputs beyond the fixtures (each imported as one set of files). */
  imports?: Record<string, NativeFile[]>;
  /** Codes no test input can emit (live-only, or only on input no fixture has), with why. */
  notEmitted?: Record<string, string>;
  /** Lossy or emulated capability rows that name no code, with why. */
  rowsWithoutCode?: Record<string, string>;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

type Seen = Map<string, string>;

/** Every code the test inputs emit → the first input that emitted it. */
async function emitted(provider: ProviderBase, opts: CodesOptions): Promise<Seen> {
  const seen: Seen = new Map();
  const note = (codes: { code: string }[], by: string) => codes.forEach((d) => seen.has(d.code) || seen.set(d.code, by));
  for (const c of goldenCases(provider.id)) {
    const out = provider.compile(await loadIr(c.file));
    note(out.diagnostics, `compile ${c.name}`);
    note(provider.import(out.files.map((f) => ({ path: f.path, content: f.content }))).diagnostics, `import of compiled ${c.name}`);
  }
  for (const [name, doc] of Object.entries(opts.documents ?? {})) note(provider.compile(normalize(doc as PipelineDocument)).diagnostics, `compile ${name}`);
  // Native inputs are imported, and what they give is compiled back (codes only such a pipeline has).
  const importAndCompile = (files: NativeFile[], by: string) => {
    const r = provider.import(files);
    note(r.diagnostics, `import ${by}`);
    if (r.pipeline) note(provider.compile(r.pipeline).diagnostics, `compile of the import of ${by}`);
  };
  for (const [name, files] of Object.entries(opts.imports ?? {})) importAndCompile(files, name);
  const roots = [join(REPO, "test/fixtures"), CORPUS];
  for (const root of roots)
    for (const d of opts.nativeDirs)
      for (const f of filesUnder(join(root, d))) {
        const path = relative(join(root, d), f);
        importAndCompile([{ path, content: readFileSync(f, "utf8") }], relative(REPO, f));
      }
  return seen;
}

function tableSuite(provider: ProviderBase, opts: CodesOptions): void {
  const codes = Object.keys(provider.codes);
  it(`documents every code in packages/${provider.id}/README.md`, () => {
    const readme = readFileSync(join(REPO, "packages", provider.id, "README.md"), "utf8");
    expect(codes.filter((c) => !readme.includes(`\`${c}\``))).toEqual([]);
  });
  it("has one capability row per feature, naming only codes of the table", () => {
    expect(provider.capabilities.map((c) => c.feature).sort()).toEqual(Object.keys(FEATURES).sort());
    expect(provider.capabilities.filter((c) => c.code && !codes.includes(c.code)).map((c) => `${c.feature}: ${c.code}`)).toEqual([]);
  });
  it("names a code on every lossy or emulated row (exceptions listed with a reason)", () => {
    const without = provider.capabilities.filter((c) => c.support !== "native" && !c.code).map((c) => c.feature);
    expect(without.sort()).toEqual(Object.keys(opts.rowsWithoutCode ?? {}).sort());
  });
}

export function codesSuite(provider: ProviderBase, opts: CodesOptions): void {
  describe(`${provider.id} codes, capabilities and README`, () => {
    tableSuite(provider, opts);
    const notEmitted = opts.notEmitted ?? {};
    it("lists as never emitted only codes of the table", () => {
      expect(Object.keys(notEmitted).filter((c) => !(c in provider.codes))).toEqual([]);
    });
    it.skipIf(!sharedOrSkip(`${provider.id}: every code is emitted by a test input (part of the inputs is the corpus)`))(
      "emits every code from a test input, except those listed as never emitted (and those are not)",
      async () => {
        const seen = await emitted(provider, opts);
        const missing = Object.keys(provider.codes).filter((c) => !seen.has(c) && !(c in notEmitted));
        expect(missing, "no test input emits these: add a golden pair or a fixture, or list them in notEmitted with a reason").toEqual([]);
        const stale = Object.keys(notEmitted)
          .filter((c) => seen.has(c))
          .map((c) => `${c} (by ${seen.get(c)})`);
        expect(stale, "listed as never emitted, but a test input emits them: remove them from notEmitted").toEqual([]);
      },
    );
  });
}
