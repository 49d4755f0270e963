/**
 * Property tests: random valid documents normalize deterministically and survive
 * denormalize → YAML → load; random mutations of valid documents never crash the loader.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { denormalize, escapeLiteral, foldName, load, normalize, validate, type PipelineDocument } from "@pipeglot/schema";
import { examples } from "../helpers/paths.js";

const ident = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
const envName = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,8}$/);
const duration = fc.constantFrom("30s", "5m", "1h", "1h30m", "2d");
const glob = fc.constantFrom("main", "release/*", "docs/**", "*.md", "v*", "feature/**");
const filter = fc.oneof(
  fc.array(glob, { maxLength: 3 }),
  fc.record({ include: fc.array(glob, { maxLength: 2 }), exclude: fc.array(glob, { maxLength: 2 }) }, { requiredKeys: [] }),
);

/** A random valid document: names unique even once case and separators are folded (as providers do), needs only backwards (so no cycles), references only to declared names. */
const documentArb: fc.Arbitrary<PipelineDocument> = fc
  .record({
    name: ident,
    vars: fc.uniqueArray(
      envName.map((n) => `V_${n}`),
      { maxLength: 3, selector: foldName },
    ),
    secrets: fc.uniqueArray(
      envName.map((n) => `S_${n}`),
      { maxLength: 2, selector: foldName },
    ),
    stages: fc.uniqueArray(
      fc.record({
        name: ident,
        jobs: fc.uniqueArray(
          fc.record({
            name: ident,
            steps: fc.array(
              fc.record(
                {
                  run: fc.string({ maxLength: 30 }),
                  timeout: fc.option(duration, { nil: undefined }),
                  continueOnError: fc.option(fc.boolean(), { nil: undefined }),
                  retries: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
                },
                { requiredKeys: ["run"] },
              ),
              { minLength: 1, maxLength: 3 },
            ),
            image: fc.option(fc.constantFrom("node:20", "alpine:3", "python:3.12"), { nil: undefined }),
            timeout: fc.option(duration, { nil: undefined }),
            needsPrev: fc.boolean(),
          }),
          { minLength: 1, maxLength: 3, selector: (j) => foldName(j.name) },
        ),
        approval: fc.option(fc.record({ approvers: fc.array(ident, { maxLength: 2 }), timeout: duration }), { nil: undefined }),
        disabled: fc.boolean(),
        parallel: fc.boolean(),
      }),
      { minLength: 1, maxLength: 4, selector: (s) => foldName(s.name) },
    ),
    push: fc.option(fc.record({ branches: filter, paths: filter }, { requiredKeys: [] }), { nil: undefined }),
    concurrency: fc.option(fc.constantFrom("queue", "supersede", "parallel") as fc.Arbitrary<"queue" | "supersede" | "parallel">, { nil: undefined }),
  })
  .map((r) => {
    const doc: PipelineDocument = {
      pipeglot: 1,
      name: r.name,
      source: { repository: "acme/app" },
      stages: r.stages.map((s, i) => ({
        name: s.name,
        ...(i > 0 && s.parallel ? { needs: [r.stages[0]!.name] } : {}),
        ...(i > 0 && s.approval ? { approval: s.approval } : {}),
        ...(i > 0 && s.disabled ? { transition: { enabled: false, reason: "freeze" } } : {}),
        jobs: s.jobs.map((j, k) => ({
          name: j.name,
          ...(k > 0 && j.needsPrev ? { needs: [s.jobs[k - 1]!.name] } : {}),
          ...(j.image ? { image: j.image } : {}),
          ...(j.timeout ? { timeout: j.timeout } : {}),
          steps: j.steps.map((st, n) => ({
            ...st,
            run:
              escapeLiteral(st.run) +
              (r.vars.length && n === 0 ? ` \${{ vars.${r.vars[0]} }}` : "") +
              (r.secrets.length ? ` \${{ secrets.${r.secrets[0]} }}` : ""),
          })),
        })),
      })),
    };
    if (r.vars.length) doc.variables = Object.fromEntries(r.vars.map((v) => [v, "x"]));
    if (r.secrets.length) doc.secrets = Object.fromEntries(r.secrets.map((s) => [s, { aws: `secretsmanager:${s}` }]));
    if (r.push) doc.triggers = { push: r.push };
    if (r.concurrency) doc.concurrency = r.concurrency;
    return doc;
  });

describe("random valid documents", () => {
  it("validate without errors, normalize deterministically, and survive denormalize → YAML → load", () => {
    fc.assert(
      fc.property(documentArb, (doc) => {
        const text = stringify(doc);
        const r = validate(text, { file: "random.yaml" });
        expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const again = validate(text, { file: "random.yaml" });
        expect(JSON.stringify(again.ir)).toBe(JSON.stringify(r.ir));
        expect(normalize(r.document!)).toEqual(r.ir);
        const back = validate(stringify(denormalize(r.ir!)));
        expect(back.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        expect(back.ir).toEqual(r.ir);
      }),
      { numRuns: 300 },
    );
  });
});

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Replace, delete or retype one value somewhere in the document. */
function mutate(doc: Json, path: number[], replacement: Json, mode: number): Json {
  if (doc === null || typeof doc !== "object") return replacement;
  const keys = Array.isArray(doc) ? doc.map((_, i) => i) : Object.keys(doc);
  if (keys.length === 0) return replacement;
  const k = keys[path[0]! % keys.length]!;
  const clone: Json = Array.isArray(doc) ? [...doc] : { ...doc };
  const child = (clone as Record<string | number, Json>)[k]!;
  if (path.length <= 1 || child === null || typeof child !== "object") {
    if (mode === 0) delete (clone as Record<string | number, Json>)[k];
    else if (mode === 1) (clone as Record<string | number, Json>)[k] = replacement;
    else (clone as Record<string, Json>)[`${String(k)}x`] = replacement;
    return clone;
  }
  (clone as Record<string | number, Json>)[k] = mutate(child, path.slice(1), replacement, mode);
  return clone;
}

describe("random mutations of valid documents", () => {
  const docs = examples().map((e) => ({ text: readFileSync(e.file, "utf8"), data: parse(readFileSync(e.file, "utf8")) as Json }));
  const junk: fc.Arbitrary<Json> = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.string(),
    fc.constant([]),
    fc.constant({}),
    fc.array(fc.string(), { maxLength: 2 }),
    fc.constant("${{ vars.nope }}"),
    fc.constant({ needs: ["ghost"] }),
  );

  it("structural mutations give diagnostics with positions, never an exception", () => {
    fc.assert(
      fc.property(fc.nat(docs.length - 1), fc.array(fc.nat(50), { minLength: 1, maxLength: 6 }), junk, fc.nat(2), (i, path, replacement, mode) => {
        const text = stringify(mutate(docs[i]!.data, path, replacement, mode));
        const r = validate(text, { file: "m.yaml" });
        const lines = text.split("\n").length;
        for (const d of r.diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lines + 1);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.code).toMatch(/^PG-[A-Z-]+$/);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("text mutations (cut, splice, byte noise) never throw", () => {
    fc.assert(
      fc.property(fc.nat(docs.length - 1), fc.nat(), fc.nat(), fc.string({ maxLength: 8 }), (i, a, b, noise) => {
        const t = docs[i]!.text;
        const x = a % t.length;
        const y = x + (b % 40);
        const text = t.slice(0, x) + noise + t.slice(y);
        const r = load(text, { file: "t.yaml" });
        expect(Array.isArray(r.diagnostics)).toBe(true);
        if (!r.document) expect(r.diagnostics.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });
});
