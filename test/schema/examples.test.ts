/**
 * The bundled examples are valid, start with the editor schema line, and agree with the committed
 * JSON Schema (checked by Ajv, independently of the zod schema the loader uses).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { denormalize, jsonSchemaText, normalize, validate } from "@pipeglot/schema";
import { examples, REPO } from "../helpers/paths.js";

const schemaFile = join(REPO, "packages/schema/pipeline.schema.json");
const committed = readFileSync(schemaFile, "utf8");
const ajv = new Ajv({ allErrors: true, strict: false });
const check = ajv.compile(JSON.parse(committed));

describe("JSON Schema", () => {
  it("the committed pipeline.schema.json is current (regenerate with: node packages/cli/dist/bin.js schema > packages/schema/pipeline.schema.json)", () => {
    expect(committed).toBe(jsonSchemaText());
  });
  it("rejects what the loader rejects: an unknown key, a wrong type, a missing key", () => {
    const base = parse(readFileSync(examples()[0]!.file, "utf8"));
    expect(check({ ...base, sorce: 1 })).toBe(false);
    expect(check({ ...base, stages: "x" })).toBe(false);
    const { name: _n, ...noName } = base;
    expect(check(noName)).toBe(false);
  });
});

describe("examples", () => {
  const all = examples();
  it("there are at least six", () => expect(all.length).toBeGreaterThanOrEqual(6));
  for (const ex of all) {
    describe(ex.name, () => {
      const text = readFileSync(ex.file, "utf8");
      it("starts with the yaml-language-server schema line", () => {
        expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=../../packages/schema/pipeline.schema.json");
      });
      it("is valid with no diagnostics at all", () => {
        const r = validate(text, { file: ex.file });
        expect(r.diagnostics).toEqual([]);
        expect(r.ir).toBeDefined();
      });
      it("passes the JSON Schema", () => {
        const ok = check(parse(text));
        expect(check.errors ?? []).toEqual([]);
        expect(ok).toBe(true);
      });
      it("denormalize gives a document that normalizes back to the same IR", () => {
        const ir = validate(text).ir!;
        const again = normalize(denormalize(ir));
        expect(again).toEqual(ir);
      });
    });
  }
});
