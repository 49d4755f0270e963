/**
 * A file with thousands of YAML syntax errors (hostile or careless input, issue 13) reports the
 * first 100 in file order and one line saying how many more there are, at the next one — not tens
 * of thousands of findings that take minutes to print.
 */
import { describe, expect, it } from "vitest";
import { formatDiagnostic, validate } from "@pipeglot/schema";

const badLines = (n: number) =>
  ["pipeglot: 1", "name: x", "stages:", ...Array.from({ length: n }, (_, i) => `${" ".repeat(i % 7)}- name: s${i}${i % 3 === 0 ? " : :" : ""}`)].join("\n");

describe("many YAML syntax errors", () => {
  it("lists the first 100 and says how many more, positioned at the 101st", () => {
    const r = validate(badLines(3000), { file: "bad.yaml" });
    expect(r.ir).toBeUndefined();
    expect(r.diagnostics).toHaveLength(101);
    const last = r.diagnostics[100]!;
    expect(last.code).toBe("PG-YAML-SYNTAX");
    expect(last.message).toMatch(/^\d+ more YAML problems from here on are not listed; fix the first ones and run validate again$/);
    const more = Number(/^(\d+)/.exec(last.message)![1]);
    expect(more).toBeGreaterThan(1000);
    // In file order: the summary comes after every listed finding.
    const pos = (d: { line?: number; column?: number }) => (d.line ?? 0) * 1e6 + (d.column ?? 0);
    for (const d of r.diagnostics.slice(0, 100)) expect(pos(d)).toBeLessThanOrEqual(pos(last));
  });

  it("a file with a few errors lists them all", () => {
    const r = validate(badLines(12), { file: "bad.yaml" });
    expect(r.diagnostics.length).toBeGreaterThan(3);
    expect(r.diagnostics.length).toBeLessThan(100);
    expect(r.diagnostics.some((d) => /more YAML problems/.test(d.message))).toBe(false);
  });

  it("formats a finding with its source line from a large file", () => {
    const text = badLines(3000);
    const d = validate(text, { file: "bad.yaml" }).diagnostics[5]!;
    const out = formatDiagnostic(d, { sources: new Map([["bad.yaml", text]]) });
    expect(out.split("\n")[1]).toBe(`  ${text.split("\n")[d.line! - 1]}`);
  });
});
