import { describe, expect, it } from "vitest";
import { conditionExpr } from "../compile/conditions.js";
import { importCondition } from "./conditions.js";

describe("conditions (table)", () => {
  const table: [string, ReturnType<typeof importCondition>][] = [
    ["succeeded()", { status: "success", branches: [], variables: {} }],
    ["failed()", { status: "failure", branches: [], variables: {} }],
    ["always()", { status: "always", branches: [], variables: {} }],
    ["and(succeeded(), eq(variables['Build.SourceBranch'], 'refs/heads/main'))", { status: "success", branches: ["main"], variables: {} }],
    ["and(succeeded(), startsWith(variables['Build.SourceBranch'], 'refs/tags/v'))", { status: "success", branches: ["refs/tags/v*"], variables: {} }],
    [
      "and(succeeded(), or(eq(variables['Build.SourceBranch'], 'refs/heads/a'), eq(variables['Build.SourceBranch'], 'refs/heads/b')))",
      { status: "success", branches: ["a", "b"], variables: {} },
    ],
    ["eq(variables['Deploy'], 'yes')", { status: "always", branches: [], variables: { Deploy: "yes" } }],
    ["and(succeeded(), ne(variables['Build.Reason'], 'PullRequest'))", undefined],
    ["succeededOrFailed()", undefined],
  ];
  for (const [src, want] of table) it(src, () => expect(importCondition(src)).toEqual(want));
  it("round-trips what the compiler writes", () => {
    for (const c of [
      { status: "failure" as const, branches: ["release/*", "main"], variables: { A: "it's" } },
      { status: "always" as const, branches: ["refs/tags/v*"], variables: {} },
      { status: "success" as const, branches: ["feature/*-x"], variables: {} },
    ])
      expect(importCondition(conditionExpr(c).expr)).toEqual(c);
  });
});
