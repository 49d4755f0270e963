/**
 * compare's diagnostic codes: the table (CODES), the package README and what compare emits are the
 * same facts — every code is emitted by an input below, with the table's severity, and documented.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CODES, compileAll, loadPrices, parsePrices } from "@pipeglot/compare";
import type { ProviderBase } from "@pipeglot/core";
import { provider as aws } from "@pipeglot/aws";
import { provider as azure } from "@pipeglot/azure";
import { provider as gcp } from "@pipeglot/gcp";
import { provider as oci } from "@pipeglot/oci";
import { validate, type Diagnostic } from "@pipeglot/schema";
import { REPO } from "../helpers/paths.js";

const ALL: ProviderBase[] = [aws, azure, gcp, oci];
const BUNDLED = readFileSync(join(REPO, "packages/compare/prices/prices.json"), "utf8");

async function emitted(): Promise<Diagnostic[]> {
  const ir = validate("pipeglot: 1\nname: t\nsource: { repository: a/t }\nstages:\n  - name: s\n    jobs: [{ name: j, steps: [{ run: make }] }]\n", {
    file: "t.yaml",
  }).ir!;
  const throwing: ProviderBase = {
    ...aws,
    compile: () => {
      throw new Error("boom");
    },
  };
  return [
    ...(await loadPrices(join(REPO, "no-such-prices.json"), ALL)).diagnostics,
    ...parsePrices("{ [", "p.json", ALL).diagnostics,
    ...parsePrices(BUNDLED.replace('"currency": "USD",', '"currency": 3,'), "p.json", ALL).diagnostics,
    ...compileAll([throwing], ir)[0]!.diagnostics,
  ];
}

describe("compare diagnostic codes", () => {
  it("every code in the table is emitted, with the table's severity", async () => {
    const ds = await emitted();
    expect([...new Set(ds.map((d) => d.code))].sort()).toEqual(Object.keys(CODES).sort());
    for (const d of ds) expect(d.severity, d.code).toBe(CODES[d.code as keyof typeof CODES].severity);
    expect(ds.find((d) => d.code === "PG-COMPARE-COMPILE")!.message).toContain("boom");
  });

  it("the package README lists exactly the table's codes, with their severities", () => {
    const readme = readFileSync(join(REPO, "packages/compare/README.md"), "utf8");
    const rows = [...readme.matchAll(/^\| `(PG-[A-Z-]+)` \| (error|warning|info) \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows.sort()).toEqual(
      Object.entries(CODES)
        .map(([c, i]) => [c, i.severity])
        .sort(),
    );
  });
});
