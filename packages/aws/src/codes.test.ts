import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FEATURES } from "@pipeglot/core";
import { capabilities } from "./capabilities.js";
import { CODES } from "./diagnostics.js";

const README = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("codes, capabilities and README agree", () => {
  it("has one capability row per neutral feature", () => {
    expect(capabilities.map((c) => c.feature).sort()).toEqual(Object.keys(FEATURES).sort());
  });
  it("names only real codes in the capability table, and every lossy/emulated row has one", () => {
    for (const c of capabilities) {
      if (c.code) expect(Object.keys(CODES)).toContain(c.code);
      if (c.support !== "native" && c.feature !== "job.matrix") expect(c.code, c.feature).toBeDefined();
    }
  });
  it("documents every code in the README", () => {
    for (const code of Object.keys(CODES)) expect(README, code).toContain(code);
  });
});
