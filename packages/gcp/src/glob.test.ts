import { describe, expect, it } from "vitest";
import { globsToRegex, regexToGlobs } from "./glob.js";
import { applySubstitutions, escapeSubstitutions, parseSubstitutions } from "./native/substitution.js";

describe("globs ↔ RE2", () => {
  it.each([
    [["main"], "^main$"],
    [["main", "release/*"], "^(?:main|release/[^/]*)$"],
    [["v*.*.*"], "^v[^/]*\\.[^/]*\\.[^/]*$"],
    [["feature/**"], "^feature/.*$"],
  ])("%j → %s and back", (globs, regex) => {
    expect(globsToRegex(globs)).toBe(regex);
    expect(regexToGlobs(regex)).toEqual({ globs, exact: true });
  });
  it("approximates foreign regexes and says so", () => {
    expect(regexToGlobs("^release-[0-9]+$")).toEqual({ globs: ["release-*"], exact: false });
    expect(regexToGlobs("main").exact).toBe(false);
  });
});

describe("substitutions", () => {
  it("escapes every $ so the pass gives the text back", () => {
    for (const s of ["$HOME", "${_X}", "$$", "a$", "$(x)", "${{ y }}"]) expect(applySubstitutions(escapeSubstitutions(s), { _X: "no", HOME: "no" })).toBe(s);
  });
  it("finds braced and bare keys only for [A-Z_][A-Z0-9_]*", () => {
    expect(parseSubstitutions("$A ${_B} $c ${d} $1")).toEqual([
      { kind: "key", key: "A", braced: false },
      { kind: "text", value: " " },
      { kind: "key", key: "_B", braced: true },
      { kind: "text", value: " $c ${d} $1" },
    ]);
  });
});
