import { describe, expect, it } from "vitest";
import { evaluate, parseExpression } from "./expr.js";

const scope = {
  parameters: { env: "Prod", list: ["a", "b"], map: { x: "1", y: "2" }, flag: true, n: 3, empty: "" },
  variables: { "Build.Reason": "PullRequest", region: "eu" },
  locals: {},
};
const ev = (s: string) => evaluate(parseExpression(s), scope);

describe("expression functions (table)", () => {
  const table: [string, unknown][] = [
    ["eq(parameters.env, 'prod')", true],
    ["eq(1, '1')", true],
    ["ne(parameters.env, 'dev')", true],
    ["and(true, eq(parameters.n, 3))", true],
    ["or(false, false)", false],
    ["not(parameters.flag)", false],
    ["contains('abcdef', 'CD')", true],
    ["contains(parameters.list, 'b')", true],
    ["startsWith('refs/heads/main', 'refs/heads/')", true],
    ["endsWith('file.yml', '.YML')", true],
    ["in(parameters.env, 'dev', 'prod')", true],
    ["notIn(parameters.env, 'dev', 'test')", true],
    ["format('{0}-{1}', 'a', parameters.n)", "a-3"],
    ["format('{{0}}')", "{0}"],
    ["coalesce(parameters.empty, parameters.missing, 'x')", "x"],
    ["join(',', parameters.list)", "a,b"],
    ["replace('a-b-c', '-', '_')", "a_b_c"],
    ["split('a,b', ',')", ["a", "b"]],
    ["lower('ABC')", "abc"],
    ["upper('abc')", "ABC"],
    ["length(parameters.list)", 2],
    ["length('abcd')", 4],
    ["containsValue(parameters.map, '2')", true],
    ["variables['Build.Reason']", "PullRequest"],
    ["variables.region", "eu"],
    ["parameters.list[1]", "b"],
    ["'it''s'", "it's"],
    ["iif(parameters.flag, 'y', 'n')", "y"],
    ["gt(parameters.n, 2)", true],
    ["xor(true, false)", true],
  ];
  for (const [src, want] of table) it(src, () => expect(ev(src)).toEqual(want));
  it("rejects unknown functions and bad syntax", () => {
    expect(() => ev("counter('x', 0)")).toThrow(/unknown function/);
    expect(() => parseExpression("eq(a,")).toThrow();
    expect(() => parseExpression("'open")).toThrow(/unterminated/);
  });
});
