import fc from "fast-check";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { blockStyleSafe, toYaml } from "./emit.js";

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
  it("what the one-pass check vouches for reads back from a block scalar without the round trip, at any depth", () => {
    const unit = fc.constantFrom(" ", "\t", "\n", "a", "#", ":", "-", "|", ">", "'", '"', "\\", "{", "[", "&", "*", "!", "%", "@", ".");
    fc.assert(
      fc.property(fc.string({ unit, minLength: 1 }), fc.nat(3), (s, depth) => {
        fc.pre(blockStyleSafe(s) && s.includes("\n"));
        let v: unknown = s;
        for (let i = 0; i < depth; i++) v = { k: [v] };
        let back: unknown = parse(toYaml({ top: v })).top;
        for (let i = 0; i < depth; i++) back = (back as { k: unknown[] }).k[0];
        expect(back).toBe(s);
      }),
      { numRuns: 3000 },
    );
  });
  it("a long script is checked in one pass (no round trip through the yaml library)", () => {
    expect(blockStyleSafe("echo 'a b' \"$HOME\"\n\n\tmake all\n".repeat(1000))).toBe(true);
    for (const s of [" lead", "a\n \nb", "a\n\t", "a\r\nb", "é\n"]) expect(blockStyleSafe(s), JSON.stringify(s)).toBe(false);
  });
});
