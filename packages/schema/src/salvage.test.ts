import { describe, expect, it } from "vitest";
import { validate } from "./validate.js";

const codes = (text: string) => validate(text, { file: "t.yaml" }).diagnostics.map((d) => d.code);

describe("salvage: semantic checks beside schema errors", () => {
  it("keeps findings of the parts the schema accepted", () => {
    const text = `pipeglot: 1
name: x
source: { repository: a/b }
stages:
  - name: build
    jobs: [{ name: a, timeout: soon, steps: [{ run: make }] }]
  - name: test
    needs: [nope]
    jobs: [{ name: b, steps: [{ run: "\${{ vars.MISSING }}" }] }]
`;
    expect(codes(text)).toEqual(["PG-SCHEMA-FORMAT", "PG-NEEDS-UNKNOWN", "PG-EXPR-UNKNOWN-VAR"]);
  });
  it("drops findings that could come from what was set aside", () => {
    // The producer of "bin" is in the rejected stage: "bin" is not reported as unknown.
    const text = `pipeglot: 1
name: x
source: { repository: a/b }
stages:
  - name: build
    jobs: [{ name: a, timeout: soon, steps: [{ run: make }], artifacts: { produce: [{ name: bin, paths: [bin] }] } }]
  - name: test
    jobs: [{ name: b, steps: [{ run: x }], artifacts: { consume: [bin] } }]
`;
    expect(codes(text)).toEqual(["PG-SCHEMA-FORMAT"]);
    // Variables rejected: references to them are not reported as unknown.
    const vars = `pipeglot: 1
name: x
source: { repository: a/b }
variables: [A]
stages:
  - name: build
    jobs: [{ name: a, steps: [{ run: "\${{ vars.A }}" }] }]
`;
    expect(codes(vars)).toEqual(["PG-SCHEMA-TYPE"]);
    // A stage without a valid name: needs naming it are not reported.
    const unnamed = `pipeglot: 1
name: x
source: { repository: a/b }
stages:
  - name: 5
    jobs: [{ name: a, steps: [{ run: make }] }]
  - name: test
    needs: [five]
    jobs: [{ name: b, steps: [{ run: x }] }]
`;
    expect(codes(unnamed)).toEqual(["PG-SCHEMA-TYPE"]);
  });
  it("adds nothing when the YAML does not parse", () => {
    expect(codes("a: [\n")).toEqual(["PG-YAML-SYNTAX"]);
  });
});
