/** The format's globs: hand-written cases, checked with JavaScript and with grep -E (POSIX ERE, as shell guards use them). */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { globPattern, globsMatch } from "./glob.js";

const CASES: [glob: string, value: string, match: boolean][] = [
  ["release/*", "release/1.2", true],
  ["release/*", "release/a/b", false],
  ["release/**", "release/a/b", true],
  ["v?", "v1", true],
  ["v?", "v/", false],
  ["main", "main", true],
  ["main", "mainline", false],
  ["a+b(c)[d]{e}^$|.", "a+b(c)[d]{e}^$|.", true],
  ["a.b", "axb", false],
  ["feature/**/x", "feature/a/b/x", true],
];

describe("globPattern / globsMatch", () => {
  it.each(CASES)("%s against %s: %s", (glob, value, match) => {
    expect(globsMatch([glob], value)).toBe(match);
    let grep = true;
    try {
      execFileSync("grep", ["-Eq", `^${globPattern(glob)}$`], { input: `${value}\n` });
    } catch {
      grep = false;
    }
    expect(grep, "grep -E reads the pattern alike").toBe(match);
  });
  it("an empty list matches everything; several globs match any", () => {
    expect(globsMatch([], "anything/at/all")).toBe(true);
    expect(globsMatch(["main", "release/*"], "release/3")).toBe(true);
  });
});
