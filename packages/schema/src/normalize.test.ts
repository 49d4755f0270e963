import { describe, expect, it } from "vitest";
import { validate } from "./validate.js";

const text = `
pipeglot: 1
name: tiny
source: { repository: acme/tiny }
variables:
  A: 1
  B: { default: x, overridable: true }
defaults: { image: "node:20", timeout: 10m, retries: 1 }
stages:
  - name: build
    jobs:
      - name: one
        steps: [{ run: make }, { name: check, run: make check, timeout: 1m }]
      - name: two
        needs: [one]
        image: alpine
        timeout: 1h
        steps: [{ run: make two }]
  - name: deploy
    condition: always
    jobs:
      - name: go
        steps: [{ run: ./go }]
`;

describe("normalize", () => {
  const ir = validate(text, { file: "tiny.yaml" }).ir!;
  it("resolves defaults into every job", () => {
    expect(ir.stages[0]!.jobs.map((j) => [j.image, j.timeoutSeconds, j.retries])).toEqual([
      ["node:20", 600, 1],
      ["alpine", 3600, 1],
    ]);
  });
  it("makes the DAG explicit", () => {
    expect(ir.stages.map((s) => s.needs)).toEqual([[], ["build"]]);
    expect(ir.stages[0]!.jobs.map((j) => j.needs)).toEqual([[], ["one"]]);
  });
  it("gives stable ids", () => {
    expect(ir.stages[0]!.jobs.map((j) => j.id)).toEqual(["build.one", "build.two"]);
    expect(ir.stages[0]!.jobs[0]!.steps.map((s) => s.id)).toEqual(["step-1", "check"]);
  });
  it("defaults the trigger to a push on the default branch, manual runs allowed", () => {
    expect(ir.triggers).toEqual({
      push: { branches: { include: ["main"], exclude: [] }, tags: { include: [], exclude: [] }, paths: { include: [], exclude: [] } },
      schedules: [],
      manual: true,
    });
  });
  it("expands shorthand", () => {
    expect(ir.variables).toEqual({ A: { default: "1", overridable: false }, B: { default: "x", overridable: true } });
    expect(ir.stages[1]!.condition).toEqual({ status: "always", branches: [], variables: {} });
    expect(ir.stages[0]!.jobs[0]!.steps[1]!.timeoutSeconds).toBe(60);
  });
  it("is deterministic", () => expect(JSON.stringify(validate(text).ir)).toBe(JSON.stringify(ir)));
});
