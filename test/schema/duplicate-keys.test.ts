/**
 * Issue 13: duplicateKeys (shared by load() and every importer) finds each repeated key with both
 * positions; load() names both in PG-YAML-DUPLICATE-KEY; yamlSourceMap.locateInValue places text
 * inside a string (an inline buildspec) in its file.
 */
import { LineCounter, parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { duplicateKeys, load, validate, yamlSourceMap } from "@pipeglot/schema";
import { duplicateKeys as fromCore } from "@pipeglot/core";

const dups = (text: string, opts: { merge?: boolean } = {}) => {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, ...opts });
  return duplicateKeys(doc, lc);
};

describe("duplicateKeys", () => {
  it("is the helper @pipeglot/core exports", () => {
    expect(fromCore).toBe(duplicateKeys);
  });

  it("finds repeats at any depth, with the mapping's pointer and both positions", () => {
    const r = dups("a: 1\nb:\n  - x: 1\n    y: 2\n    x: 3\na: 4\n");
    expect(r.map((d) => [d.key, d.path, `${d.first.line}:${d.first.column}`, `${d.duplicate.line}:${d.duplicate.column}`])).toEqual([
      ["x", "/b/0", "3:5", "5:5"],
      ["a", "", "1:1", "6:1"],
    ]);
  });

  it("counts keys that become the same property (1 and '1') and JSON members", () => {
    expect(dups("1: a\n'1': b\n").map((d) => d.key)).toEqual(["1"]);
    expect(dups('{"a": 1, "b": {"c": 1, "c": 2}}').map((d) => `${d.path} ${d.key} ${d.duplicate.column}`)).toEqual(["/b c 24"]);
  });

  it("reports every later repeat against the first one", () => {
    expect(dups("k: 1\nk: 2\nk: 3\n").map((d) => `${d.first.line}->${d.duplicate.line}`)).toEqual(["1->2", "1->3"]);
  });

  it("lets `<<` repeat where YAML 1.1 merge keys are on, and not elsewhere", () => {
    const text = "base: &b {x: 1}\nmore: &m {y: 1}\nc:\n  <<: *b\n  <<: *m\n";
    expect(dups(text, { merge: true })).toEqual([]);
    expect(dups(text).map((d) => d.key)).toEqual(["<<"]);
  });

  it("is empty for a clean document", () => {
    expect(dups("a: [1, 2]\nb: {c: 1}\n")).toEqual([]);
  });
});

describe("pipeglot.yaml: PG-YAML-DUPLICATE-KEY names both positions", () => {
  const text = "pipeglot: 1\nname: dup\nsource: { repository: acme/app }\nname: dup2\nstages:\n  - name: build\n    jobs: [{ name: a, steps: [{ run: x }] }]\n";
  it("is an error at the repeat whose message names the first", () => {
    const r = load(text, { file: "pipeglot.yaml" });
    expect(r.document).toBeUndefined();
    const d = r.diagnostics.filter((x) => x.code === "PG-YAML-DUPLICATE-KEY");
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: "error", line: 4, column: 1 });
    expect(d[0]!.message).toContain("duplicate key `name`: also at line 2, column 1");
    expect(validate(text, { file: "pipeglot.yaml" }).ir).toBeUndefined();
  });

  it("is reported beside a syntax error elsewhere", () => {
    const r = load("pipeglot: 1\nname: a\nname: b\nstages: [\n", { file: "p.yaml" });
    expect(r.diagnostics.map((d) => d.code)).toContain("PG-YAML-DUPLICATE-KEY");
    expect(r.diagnostics.map((d) => d.code)).toContain("PG-YAML-SYNTAX");
  });
});

describe("yamlSourceMap.locateInValue", () => {
  const map = (text: string) => {
    const lc = new LineCounter();
    return yamlSourceMap("f", text, parseDocument(text, { lineCounter: lc }), lc);
  };
  it("places a character of a literal block in the file", () => {
    const text = "spec: |\n  version: 0.2\n  phases:\n    build: {}\n";
    const value = "version: 0.2\nphases:\n  build: {}\n";
    expect(map(text).locateInValue!("/spec", value.indexOf("build"))).toMatchObject({ line: 4, column: 5 });
  });
  it("places a character of a JSON string with escapes", () => {
    const text = '{"spec": "a\\n\\"b\\" c\\u0041 d"}';
    const value = 'a\n"b" cA d';
    expect(map(text).locateInValue!("/spec", value.indexOf("d"))).toMatchObject({ line: 1, column: text.indexOf(" d") + 2 });
  });
  it("gives up on folded blocks and multi-line quoted strings", () => {
    expect(map("s: >\n  a\n  b\n").locateInValue!("/s", 2)).toBeUndefined();
    expect(map('s: "a\n  b"\n').locateInValue!("/s", 2)).toBeUndefined();
  });
});
