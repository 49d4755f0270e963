import fc from "fast-check";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { toYaml } from "./emit.js";

describe("toYaml", () => {
  it.each([" \n", "  \n\n", "a\n \nb", "\t\n", "x\n ", "echo hi\necho there\n"])("%j reads back byte for byte", (s) => {
    expect(parse(toYaml({ steps: [{ run: s }] })).steps[0].run).toBe(s);
  });
  it("keeps ordinary scripts as block scalars", () => {
    expect(toYaml({ run: "echo a\necho b\n" })).toBe("run: |\n  echo a\n  echo b\n");
  });
  it("any string reads back byte for byte", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(" ", "\t", "\n", "\r", "a", "#", ":", "-", "|", ">", "'", '"', "\\", "é", "\u0085", "\u2028") }), (s) => {
        expect(parse(toYaml({ k: [s] })).k[0]).toBe(s);
      }),
      { numRuns: 3000 },
    );
  });
});
