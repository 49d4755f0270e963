/**
 * Shared round-trip runner, parameterised by provider: import(compile(x)) for every golden case
 * (the examples and the per-feature pairs, ./golden.ts), compared with x itself.
 *
 * Known losses are data (Loss: a case, a JSON pointer, why, and optionally what import gives
 * instead, written by hand), checked both ways: every difference between x and the import must be
 * covered by a listed loss (an unlisted loss fails), and every listed loss must still cover a
 * difference (a loss that starts to round-trip fails: remove it). Nothing here re-implements the
 * compiler: a loss says where x and the import differ and, when it matters, the value by hand.
 */
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { toYaml, type NativeFile, type ProviderBase, type ProviderOutput } from "@pipeglot/core";
import { denormalize, validate, type PipelineIR, type ProviderId } from "@pipeglot/schema";
import { goldenCases, loadIr, type GoldenCase } from "./golden.js";

export interface Loss {
  /**
   * Which runs it is about: "*" (every run), "*@variant" (every run of a variant), a golden case
   * name (`example:<name>`, `<feature>`), or that name with a variant (`name@variant`) or an input
   * (`name#input`). A loss for every run must happen in one at least; any other in each run it names.
   */
  case: string;
  /** JSON pointer into the IR; a `*` segment matches any one segment; it covers everything under it. */
  pointer: string;
  /** Why, naming the diagnostic code when there is one. */
  why: string;
  /** What the import holds at the pointer instead, written by hand (absent: only that it differs). */
  becomes?: unknown;
}

const PROVIDERS: ProviderId[] = ["aws", "azure", "gcp", "oci"];

/**
 * Losses every provider shares: what no provider's files hold for the others, and `defaults`,
 * which compile applies to every job instead of keeping.
 */
export function commonLosses(self: ProviderId): Loss[] {
  const others = PROVIDERS.filter((p) => p !== self);
  return [
    { case: "*", pointer: "/defaults/image", why: "defaults are applied to every job, not kept" },
    { case: "*", pointer: "/defaults/runner", why: "defaults are applied to every job, not kept" },
    { case: "*", pointer: "/defaults/timeoutSeconds", why: "defaults are applied to every job, not kept" },
    { case: "*", pointer: "/secrets/*/description", why: "secret descriptions are in no provider's files" },
    ...others.flatMap((p): Loss[] => [
      { case: "*", pointer: `/secrets/*/${p}`, why: `the ${p} secret reference is not in ${self}'s files` },
      { case: "*", pointer: `/targets/${p}`, why: `targets.${p} is not in ${self}'s files` },
    ]),
  ];
}

export interface RoundtripOptions {
  losses: readonly Loss[];
  /** The files an output is imported from, by input name (default: one input, every file). */
  inputs?: Record<string, (out: ProviderOutput) => NativeFile[]>;
  /** Edits of the definition compiled as variants of every case (e.g. a target setting). */
  variants?: Record<string, (ir: PipelineIR) => void>;
  /**
   * Runs whose import is known to be unsound (not a valid document, or not a fixed point), by run
   * key, with why: checked both ways too (the run fails once it is sound: remove the entry).
   */
  knownBugs?: Record<string, string>;
}

/** One run: a case, a variant, an input. */
interface Run {
  key: string;
  c: GoldenCase;
  variant?: string;
  input?: string;
}

/** Where two JSON values differ: objects key by key, arrays item by item when of equal length. */
export function differences(a: unknown, b: unknown, at = ""): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [at];
    return a.flatMap((v, i) => differences(v, b[i], `${at}/${i}`));
  }
  if (obj(a) && obj(b) && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differences(a[k], b[k], `${at}/${k}`));
  }
  return [at];
}

const segments = (ptr: string) => (ptr === "" ? [] : ptr.split("/").slice(1));

/** The prefix of `ptr` that `pattern` matches, or undefined. */
function matchPrefix(pattern: string, ptr: string): string | undefined {
  const p = segments(pattern);
  const s = segments(ptr);
  if (p.length > s.length || p.some((x, i) => x !== "*" && x !== s[i])) return undefined;
  return s
    .slice(0, p.length)
    .map((x) => `/${x}`)
    .join("");
}

function get(o: unknown, ptr: string): unknown {
  return segments(ptr).reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), o);
}

const isGlobal = (l: Loss) => l.case === "*" || l.case.startsWith("*@");
const appliesTo = (l: Loss, key: string) =>
  l.case === "*" ||
  (l.case.startsWith("*@")
    ? key.includes(l.case.slice(1) + "#") || key.endsWith(l.case.slice(1))
    : key === l.case || key.startsWith(`${l.case}@`) || key.startsWith(`${l.case}#`));

function runsOf(provider: ProviderBase, opts: RoundtripOptions): Run[] {
  const variants: (string | undefined)[] = [undefined, ...Object.keys(opts.variants ?? {})];
  const inputs: (string | undefined)[] = opts.inputs ? Object.keys(opts.inputs) : [undefined];
  return goldenCases(provider.id).flatMap((c) =>
    variants.flatMap((variant) => inputs.map((input) => ({ c, variant, input, key: `${c.name}${variant ? `@${variant}` : ""}${input ? `#${input}` : ""}` }))),
  );
}

interface Outcome {
  want: PipelineIR;
  have: PipelineIR;
  out: ProviderOutput;
  diffs: string[];
}

async function roundTrip(provider: ProviderBase, opts: RoundtripOptions, run: Run): Promise<Outcome> {
  const want = await loadIr(run.c.file);
  if (run.variant) opts.variants![run.variant]!(want);
  const out = provider.compile(structuredClone(want));
  const files = run.input ? opts.inputs![run.input]!(out) : out.files.map((f) => ({ path: f.path, content: f.content }));
  const back = provider.import(files);
  expect(
    back.diagnostics.filter((d) => d.severity === "error"),
    "import errors",
  ).toEqual([]);
  expect(back.pipeline, "import gives a pipeline").toBeDefined();
  const have = back.pipeline!;
  return { want, have, out, diffs: differences(want, have) };
}

/** Checks one run against the losses that apply to it; returns the losses that covered a difference. */
function checkLosses(run: Run, o: Outcome, losses: readonly Loss[]): Set<Loss> {
  const applicable = losses.filter((l) => appliesTo(l, run.key));
  const used = new Set<Loss>();
  const unexplained: string[] = [];
  for (const d of o.diffs) {
    const hits = applicable.filter((l) => matchPrefix(l.pointer, d) !== undefined);
    if (!hits.length) unexplained.push(`${d}: ${JSON.stringify(get(o.want, d))} → ${JSON.stringify(get(o.have, d))}`);
    for (const l of hits) {
      used.add(l);
      const at = matchPrefix(l.pointer, d)!;
      if ("becomes" in l) {
        const have = get(o.have, at);
        // Objects and arrays: the hand-written value names only what matters (toMatchObject).
        if (typeof l.becomes === "object" && l.becomes !== null) expect(have, `${run.key} ${at} (${l.why})`).toMatchObject(l.becomes);
        else expect(have, `${run.key} ${at} (${l.why})`).toEqual(l.becomes);
      }
    }
  }
  expect(unexplained, `${run.key}: differences that no listed loss covers`).toEqual([]);
  const stale = applicable.filter((l) => !isGlobal(l) && !used.has(l)).map((l) => `${l.pointer}: ${l.why}`);
  expect(stale, `${run.key}: listed losses that round-trip now (remove them)`).toEqual([]);
  return used;
}

/** What must hold of any import: a valid neutral document, and compile ∘ import at a fixed point. */
function soundness(provider: ProviderBase, run: Run, o: Outcome): string[] {
  const v = validate(toYaml(denormalize(o.have)), { file: `${run.c.name}.pipeglot.yaml` });
  const problems = v.diagnostics.filter((d) => d.severity === "error").map((d) => `not a valid document: ${d.code} ${d.message}`);
  const again = provider.compile(o.have);
  const twice = provider.import(again.files.map((f) => ({ path: f.path, content: f.content })));
  if (!twice.pipeline || !isDeepStrictEqual(provider.compile(twice.pipeline).files, again.files))
    problems.push("compile(import(compile(x))) is not a fixed point");
  return problems;
}

export function roundtripSuite(provider: ProviderBase, opts: RoundtripOptions): void {
  describe(`${provider.id} round trip: import(compile(x)) = x apart from the listed losses`, () => {
    const runs = runsOf(provider, opts);
    for (const run of runs) {
      it(run.key, async () => {
        const o = await roundTrip(provider, opts, run);
        checkLosses(run, o, opts.losses);
        const problems = soundness(provider, run, o);
        const bug = opts.knownBugs?.[run.key];
        if (bug) expect(problems, `known bug (${bug}) is gone: remove it from knownBugs`).not.toEqual([]);
        else expect(problems).toEqual([]);
      });
    }
    it("every loss is about a run that exists, and every loss for all runs still happens in one", async () => {
      const keys = runs.map((r) => r.key);
      expect(
        opts.losses.filter((l) => !isGlobal(l) && !keys.some((k) => appliesTo(l, k))).map((l) => l.case),
        "losses of unknown cases",
      ).toEqual([]);
      const named = opts.losses.flatMap((l) => l.why.match(/PG-[A-Z0-9-]+[A-Z0-9]/g) ?? []);
      expect(
        named.filter((c) => !(c in provider.codes)),
        "codes named by a loss that are not in the code table",
      ).toEqual([]);
      const seen = new Set<Loss>();
      for (const run of runs) {
        const o = await roundTrip(provider, opts, run);
        for (const d of o.diffs) for (const l of opts.losses) if (appliesTo(l, run.key) && matchPrefix(l.pointer, d) !== undefined) seen.add(l);
      }
      expect(
        opts.losses.filter((l) => isGlobal(l) && !seen.has(l)).map((l) => `${l.pointer}: ${l.why}`),
        "listed for every run but round-trips in all (remove)",
      ).toEqual([]);
    });
  });
}
