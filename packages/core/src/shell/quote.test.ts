import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shGlob, shQuote, shWord } from "./quote.js";

/** What bash makes of `words`: each resulting argument, NUL-terminated, read back. */
const bashArgs = (words: string, cwd?: string): string[] =>
  execFileSync("bash", ["-c", `shopt -s nullglob globstar; printf '%s\\0' ${words}`], { encoding: "utf8", cwd })
    .split("\0")
    .slice(0, -1);

const text = fc.string({ unit: "binary", maxLength: 30 }).map((s) => s.replace(/\0/g, ""));

describe("core's POSIX quoting, checked by bash itself", () => {
  it("shQuote and shWord: bash reads back exactly one word, byte for byte", () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), (words) => {
        expect(bashArgs(words.map(shQuote).join(" "))).toEqual(words);
        expect(bashArgs(words.map(shWord).join(" "))).toEqual(words);
      }),
      { numRuns: 200 },
    );
  });
  it("shGlob: literal text stays literal, * and ? stay globs", () => {
    expect(shGlob("a b/*.js")).toBe("'a b/'*.js");
    expect(shGlob("dist/$(touch x)/**")).toBe("'dist/$(touch x)/'**");
    expect(shGlob("")).toBe("''");
    expect(bashArgs(shGlob("$(echo hi) [x]"))).toEqual(["$(echo hi) [x]"]);
  });
});
