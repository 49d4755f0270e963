/**
 * The human plan: multi-line values as line diffs, changed values never cut, pipeglot's bookkeeping
 * marked (kept in JSON, out of the text), a create's attributes and what a delete removes.
 * Expectations are written by hand.
 */
import { describe, expect, it } from "vitest";
import { diffBodies } from "./diff.js";
import { attributeLines } from "./human-diff.js";
import { planReport, renderPlanMarkdown } from "./plan-report.js";
import { renderPlan } from "./render.js";
import { unifiedDiff } from "./text-diff.js";
import type { Change, Plan } from "./types.js";

const update = (key: string, before: unknown, after: unknown): Change => ({
  action: "update",
  key: { kind: "x.Project", name: key },
  before,
  after,
  reason: "ignored by the text view",
  dependsOn: [],
  diff: diffBodies(before, after),
});
const planOf = (...changes: Change[]): Plan => ({ provider: "aws", pipeline: "shop", changes, problems: [] });

const BUILDSPEC = [
  "version: 0.2",
  "phases:",
  "  install:",
  "    commands:",
  "      - npm ci",
  "  build:",
  "    commands:",
  "      - npm run lint",
  "      - npm test",
  "",
].join("\n");

describe("text plan", () => {
  it("a multi-line string shows as a line diff with three lines of context; the hash tag is left out", () => {
    const before = { source: { buildspec: BUILDSPEC }, tags: [{ key: "pipeglot:hash", value: "aaa" }] };
    const after = {
      source: { buildspec: BUILDSPEC.replace("npm run lint", "npm run lint -- --max-warnings 0") },
      tags: [{ key: "pipeglot:hash", value: "bbb" }],
    };
    expect(renderPlan(planOf(update("lint", before, after)))).toBe(
      [
        "aws: shop",
        "  ~ update x.Project/lint  (1 difference, and pipeglot's bookkeeping tags)",
        "      ~ .source.buildspec:",
        "        @@ -5,5 +5,5 @@",
        "               - npm ci",
        "           build:",
        "             commands:",
        "        -      - npm run lint",
        "        +      - npm run lint -- --max-warnings 0",
        "               - npm test",
        "  Plan: 0 to create, 1 to update, 0 to delete, 0 unchanged.",
        "",
      ].join("\n"),
    );
  });

  it("a long one-line value is shown whole on both sides", () => {
    const long = "x".repeat(150);
    const text = renderPlan(planOf(update("p", { cmd: `${long} a` }, { cmd: `${long} b` })));
    expect(text).toContain(`      ~ .cmd:\n        - "${long} a"\n        + "${long} b"\n`);
  });

  it("an update of bookkeeping only says so, with no lines under it", () => {
    const text = renderPlan(planOf(update("d", { tags: ["managed-by-pipeglot", "pipeglot-hash-1"] }, { tags: ["managed-by-pipeglot", "pipeglot-hash-2"] })));
    expect(text.split("\n")[1]).toBe("  ~ update x.Project/d  (only pipeglot's bookkeeping tags differ; --format json shows them)");
    expect(text.split("\n")[2]).toMatch(/^ {2}Plan:/);
  });

  it("a create shows its key attributes, tags left out; a delete what goes", () => {
    const body = {
      name: "shop-build",
      source: { type: "CODEPIPELINE", buildspec: "a\nb\nc\n" },
      environment: { image: "node:20", variables: [{ name: "A" }, { name: "B" }], extra: { deep: { x: 1 } } },
      tags: [{ key: "pipeglot:hash", value: "h" }],
    };
    const create: Change = {
      action: "create",
      key: { kind: "x.Project", name: "b" },
      after: body,
      reason: "does not exist",
      dependsOn: [],
      diff: diffBodies(undefined, body),
    };
    expect(renderPlan(planOf(create)).split("\n").slice(1, -2)).toEqual([
      "  + create x.Project/b  (does not exist)",
      '      + .name = "shop-build"',
      '      + .source.type = "CODEPIPELINE"',
      "      + .source.buildspec = (3 lines)",
      '      + .environment.image = "node:20"',
      "      + .environment.variables = [2 items]",
      "      + .environment.extra = {1 field}",
    ]);
    expect(attributeLines({ name: "gone", count: 2 }, "delete")).toEqual(['- .name = "gone"', "- .count = 2"]);
    expect(attributeLines([], "create")).toEqual([]);
    expect(attributeLines([{ a: 1 }], "create")).toEqual(["+ (root) = [1 item]"]);
  });

  it("many attributes are cut after 16, with the count of the rest", () => {
    const body = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${String(i).padStart(2, "0")}`, i]));
    const lines = attributeLines(body, "create");
    expect(lines).toHaveLength(17);
    expect(lines.at(-1)).toBe("  … and 4 more (the whole body: --format json)");
  });
});

describe("bookkeeping", () => {
  const marked = (before: unknown, after: unknown) => diffBodies(before, after).map((d) => [d.path.join("."), d.bookkeeping === true]);
  it("is every form of the ownership markers, and nothing else", () => {
    // key/value tag list (AWS): the value of the hash entry; another tag's value is reviewed.
    expect(
      marked(
        {
          tags: [
            { key: "pipeglot:hash", value: "1" },
            { key: "team", value: "a" },
          ],
        },
        {
          tags: [
            { key: "pipeglot:hash", value: "2" },
            { key: "team", value: "b" },
          ],
        },
      ),
    ).toEqual([
      ["tags.0.value", true],
      ["tags.1.value", false],
    ]);
    // label list (Cloud Build, Azure).
    expect(marked({ tags: ["pipeglot-hash-1", "web"] }, { tags: ["pipeglot-hash-2", "api"] })).toEqual([
      ["tags.0", true],
      ["tags.1", false],
    ]);
    // tag maps (OCI's dashed keys, keyed form) and properties.
    expect(
      marked({ freeformTags: { "pipeglot-hash": "1", "pipeglot-stage": "a" } }, { freeformTags: { "pipeglot-hash": "2", "pipeglot-stage": "b" } }),
    ).toEqual([
      ["freeformTags.pipeglot-hash", true],
      ["freeformTags.pipeglot-stage", false],
    ]);
    expect(marked({ p: { "pipeglot.sourceHash": "1" } }, { p: { "pipeglot.sourceHash": "2", "pipeglot:pipeline": "shop" } })).toEqual([
      ["p.pipeglot.sourceHash", true],
      ["p.pipeglot:pipeline", true],
    ]);
    // a whole tag entry added.
    expect(marked({ tags: [] }, { tags: [{ Key: "pipeglot:managed-by", Value: "pipeglot" }] })).toEqual([["tags.0", true]]);
  });

  it("stays in the JSON report (bookkeeping: true) and out of the Markdown one", () => {
    const c = update("d", { tags: ["pipeglot-hash-1"], image: "a" }, { tags: ["pipeglot-hash-2"], image: "b" });
    const report = planReport([{ plan: planOf(c) }]);
    expect(report.plans[0]!.changes[0]!.diff).toEqual([
      { path: ["image"], type: "change", before: "a", after: "b" },
      { path: ["tags", 0], type: "change", before: "pipeglot-hash-1", after: "pipeglot-hash-2", bookkeeping: true },
    ]);
    const md = renderPlanMarkdown(report);
    expect(md).toContain('~ .image: "a" → "b"');
    expect(md).not.toContain("pipeglot-hash");
  });
});

describe("unifiedDiff (jsdiff)", () => {
  it("marks a missing final newline as diff does", () => {
    expect(unifiedDiff("a\nb", "a\nb\n", "f")).toBe("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
  });
  it("a removed file is all removals to /dev/null", () => {
    expect(unifiedDiff("x\n", undefined, "gone.yaml")).toBe("--- a/gone.yaml\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-x\n");
  });
});
