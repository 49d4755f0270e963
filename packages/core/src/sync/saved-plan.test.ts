/**
 * The saved plan's own logic: canonical JSON (key order never matters, values always do), a
 * round trip through the file format, and the staleness verdict for each way a plan can move.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, isPlanFileText, parsePlanFile, planFile, staleReasons } from "./saved-plan.js";
import type { Change, Plan } from "./types.js";

/** The same object with its keys in reverse order, at every level. */
function reversed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversed);
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>)
      .reverse()
      .map(([k, x]) => [k, reversed(x)]),
  );
}

const change = (over: Partial<Change> = {}): Change => ({
  action: "update",
  key: { kind: "svc.Pipeline", name: "web" },
  before: { steps: ["npm test"], tags: { a: "1" } },
  after: { steps: ["npm run test:ci"], tags: { a: "1" } },
  reason: "1 difference",
  versionToken: "7",
  dependsOn: [],
  diff: [{ path: ["steps", 0], type: "change", before: "npm test", after: "npm run test:ci" }],
  ...over,
});
const planOf = (...changes: Change[]): Plan => ({ provider: "gcp", pipeline: "web", changes, problems: [] });

describe("canonicalJson", () => {
  it("does not depend on key order (property)", () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => canonicalJson(reversed(v)) === canonicalJson(v)));
  });
  it("sorts keys and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: [2, { d: undefined, c: null }] })).toBe('{"a":[2,{"c":null}],"b":1}');
  });
});

describe("plan file", () => {
  const file = planFile({ path: "pipeglot.yaml", text: "name: web\n" }, { prune: false, pushYaml: false }, [planOf(change())]);

  it("holds digests, not bodies", () => {
    const text = JSON.stringify(file);
    expect(text).not.toContain("npm run test:ci");
    // sha256 of "name: web\n", from `printf 'name: web\n' | sha256sum`.
    expect(file.definition.sha256).toBe("8d9f4d9cc27b15d3c5801a3dc232b84226036cacd4025e4a7b615ce78e7ec44b");
    expect(file.plans[0]?.changes[0]).toMatchObject({ action: "update", versionToken: "7", paths: [".steps[0]"] });
  });

  it("round-trips through its text, which is recognised as a plan file", () => {
    const text = JSON.stringify(file, null, 2);
    expect(isPlanFileText(text)).toBe(true);
    expect(isPlanFileText("pipeglot: 1\nname: web\n")).toBe(false);
    expect(parsePlanFile(text, "p")).toEqual(file);
  });

  it.each([
    ["not JSON", "{", /p is not a usable pipeglot plan file: not JSON/],
    ["another kind", '{"kind":"x"}', /no "kind": "pipeglot-plan"/],
    ["another version", '{"kind":"pipeglot-plan","formatVersion":2}', /formatVersion 2; this pipeglot reads formatVersion 1/],
    [
      "no plans",
      '{"kind":"pipeglot-plan","formatVersion":1,"definition":{"path":"a","sha256":"b"},"options":{"prune":false,"pushYaml":false},"plans":[]}',
      /no plans/,
    ],
  ])("refuses %s with a message naming the file", (_, text, message) => {
    expect(() => parsePlanFile(text, "p")).toThrow(message);
  });
});

describe("staleReasons", () => {
  const saved = planFile({ path: "d", text: "" }, { prune: false, pushYaml: false }, [
    planOf(change(), change({ action: "create", key: { kind: "svc.Trigger", name: "t" }, before: undefined, versionToken: undefined })),
  ]).plans[0]!;

  it("none when the fresh plan is the same (key order of bodies aside)", () => {
    const fresh = planOf(
      change({ before: reversed(change().before), after: reversed(change().after) }),
      change({ action: "create", key: { kind: "svc.Trigger", name: "t" }, before: undefined, versionToken: undefined }),
    );
    expect(staleReasons(saved, fresh)).toEqual([]);
  });
  it("names a resource whose live version moved", () => {
    const fresh = planOf(
      change({ versionToken: "8" }),
      change({ action: "create", key: { kind: "svc.Trigger", name: "t" }, before: undefined, versionToken: undefined }),
    );
    expect(staleReasons(saved, fresh)).toEqual(["gcp: svc.Pipeline/web changed since the plan (live version 7 → 8)"]);
  });
  it("names a resource created since the plan (create became noop)", () => {
    const fresh = planOf(change(), change({ action: "noop", key: { kind: "svc.Trigger", name: "t" }, before: change().after, versionToken: "1" }));
    expect(staleReasons(saved, fresh)).toEqual(["gcp: svc.Trigger/t changed since the plan (live version (none) → 1)"]);
  });
  it("names a live body that changed under the same version token", () => {
    const fresh = planOf(
      change({ before: { steps: ["make"] } }),
      change({ action: "create", key: { kind: "svc.Trigger", name: "t" }, before: undefined, versionToken: undefined }),
    );
    expect(staleReasons(saved, fresh)).toEqual(["gcp: svc.Pipeline/web changed since the plan (its live or desired body changed)"]);
  });
  it("names resources that left or joined the plan", () => {
    const fresh = planOf(change(), change({ action: "create", key: { kind: "svc.Trigger", name: "u" }, before: undefined, versionToken: undefined }));
    expect(staleReasons(saved, fresh)).toEqual([
      "gcp: svc.Trigger/t was planned (create) but is no longer part of the plan",
      "gcp: svc.Trigger/u is new since the plan (create)",
    ]);
  });
});
