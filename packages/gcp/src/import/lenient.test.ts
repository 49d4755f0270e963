import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { canonicalBuild, lenientText } from "./lenient.js";

describe("reading Cloud Build text as Google reads it", () => {
  it.each([
    ["waitFor: [-]\n", ["-"]],
    ["waitFor: [-, fetch]\n", ["-", "fetch"]],
    ["waitFor: [fetch,-]\n", ["fetch", "-"]],
    ["waitFor: ['-']\n", ["-"]],
    ['waitFor: ["-"]\n', ["-"]],
    ["waitFor: [-x, -1]\n", ["-x", -1]],
  ])("%j → waitFor %j", (text, want) => {
    expect(parse(lenientText(text).text).waitFor).toEqual(want);
  });

  it("quotes only a bare dash inside a flow collection, and says where", () => {
    const text = "a: [-]\nb: {k: -}\nc: |\n  [-]\nd: '[-]'\ne: \"x [-]\"\nf:\n  - -\n";
    const r = lenientText(text);
    expect(parse(r.text)).toEqual({ a: ["-"], b: { k: "-" }, c: "[-]\n", d: "[-]", e: "x [-]", f: [[null]] });
    expect(r.applied.map((a) => [a.line, a.column])).toEqual([
      [1, 5],
      [2, 8],
    ]);
  });

  it("leaves `[ - ]` alone (libyaml rejects it too) and text without flow dashes untouched", () => {
    expect(lenientText("a: [ - ]\n").applied).toEqual([]);
    const plain = "steps:\n- name: x # [-]\n  args: ['-c', 'echo [-]']\n";
    expect(lenientText(plain)).toEqual({ text: plain, applied: [] });
  });

  // Expected values checked by hand against PyYAML 6 (libyaml's reading, which gcloud uses).
  it("reads JSON-style flow collections whose lines are indented no more than their key", () => {
    const text = "steps:\n  - id: t\n    args: [\n  '-c',\n'make  test'\n]\n    waitFor: [-, a]\n";
    const r = lenientText(text);
    expect(parse(r.text)).toEqual({ steps: [{ id: "t", args: ["-c", "make  test"], waitFor: ["-", "a"] }] });
    expect(r.text.split("\n").length).toBe(text.split("\n").length);
    expect(r.applied.map((a) => [a.line, a.column])).toEqual([
      [3, 11],
      [7, 15],
    ]);
    expect(parse(lenientText("a: {\nk: v,\nj: [1,\n2]\n}\nb: 1\n").text)).toEqual({ a: { k: "v", j: [1, 2] }, b: 1 });
  });

  it("leaves a flow collection that is really broken to the parser", () => {
    for (const broken of ["steps: [\n", "args: [a, b\nwaitFor: x\n"]) expect(() => parse(lenientText(broken).text)).toThrow();
  });

  it("rewrites Go durations and the deprecated workerPool into the documented form", () => {
    const b: Record<string, unknown> = {
      timeout: "1h30m",
      queueTtl: "90s",
      steps: [{ timeout: "10m" }, { timeout: "1.5s" }, { timeout: "soon" }],
      options: { workerPool: "projects/p/locations/l/workerPools/w" },
    };
    const changed = canonicalBuild(b);
    expect(b).toEqual({
      timeout: "5400s",
      queueTtl: "90s",
      steps: [{ timeout: "600s" }, { timeout: "1.5s" }, { timeout: "soon" }],
      options: { pool: { name: "projects/p/locations/l/workerPools/w" } },
    });
    expect(changed.map((c) => c.ptr)).toEqual(["/timeout", "/steps/0/timeout", "/options/workerPool"]);
  });
});
