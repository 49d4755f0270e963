/**
 * Core names no provider: every piece of provider knowledge (formats, file names, prices, run
 * graphs, API quirks) lives in the provider's package, so that adding a provider touches no core
 * file (docs/adding-a-provider.md). Comments count too: a core comment that needs a cloud's name
 * to make sense describes knowledge that belongs to that cloud's package.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/paths.js";

const CORE = join(REPO, "packages/core");

/**
 * Provider ids, vendors, products and their file formats. Matched as words: not inside a longer
 * lowercase word ("draws", "associate"), but at the start of an identifier ("AwsTarget", "ociClient").
 */
const TERMS = [
  "aws",
  "azure",
  "gcp",
  "oci",
  "ocid",
  "amazon",
  "microsoft",
  "google",
  "oracle",
  "codebuild",
  "codepipeline",
  "codecommit",
  "codestar",
  "cloudbuild",
  "cloud build",
  "cloudformation",
  "eventbridge",
  "devops",
  "azure-pipelines",
  "buildspec",
  "build_spec",
  "build spec",
  "secretsmanager",
  "secrets manager",
];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&").replace(/ /g, "[ _-]?");
/** A term in lowercase, Capitalized or UPPER case, not preceded by a letter and not followed by a lowercase letter. */
const PATTERN = new RegExp(
  `(?<![A-Za-z])(?:${TERMS.flatMap((t) => [
    t,
    t[0]!.toUpperCase() + t.slice(1),
    t.toUpperCase(),
    t.replace(/(^|[ _-])([a-z])/g, (_, s: string, c: string) => s + c.toUpperCase()),
  ])
    .map(escape)
    .join("|")})(?![a-z])`,
);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [p] : [];
  });
}

function findings(text: string): { line: number; term: string }[] {
  return text.split("\n").flatMap((l, i) => {
    const m = PATTERN.exec(l);
    return m ? [{ line: i + 1, term: m[0] }] : [];
  });
}

describe("core is provider-neutral", () => {
  it("the pattern finds provider names and lets ordinary words through", () => {
    for (const hit of [
      "AWS CodePipeline",
      "an Azure environment",
      "AwsTarget",
      'case "oci":',
      "Cloud Build's",
      "cloudbuild.yaml",
      "buildspec.yml",
      "OCI_PRIMARY",
      "gcpGraph",
      "Google Cloud",
    ])
      expect(findings(hit), hit).toHaveLength(1);
    for (const word of ["draws", "associate", "laws", "social", "precocious", "devopsy", "googled", "buildspecs"]) expect(findings(word), word).toEqual([]);
  });

  it("no file of packages/core/src (tests aside) names a provider, a vendor or their formats, code and comments alike", () => {
    const files = sources(join(CORE, "src"));
    expect(files.length).toBeGreaterThan(20);
    const found = files.flatMap((f) => findings(readFileSync(f, "utf8")).map((x) => `${relative(REPO, f)}:${x.line}: ${x.term}`));
    expect(found).toEqual([]);
  });

  it("neither does packages/compare/src: the report lays out what each provider says (its price section and the bundled figures are data)", () => {
    const files = sources(join(REPO, "packages/compare/src"));
    expect(files.length).toBeGreaterThan(5);
    const found = files.flatMap((f) => findings(readFileSync(f, "utf8")).map((x) => `${relative(REPO, f)}:${x.line}: ${x.term}`));
    expect(found).toEqual([]);
  });

  it("core depends on no provider, on compare, nor on the layout engine", () => {
    const pkg = JSON.parse(readFileSync(join(CORE, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
    expect(deps.filter((d) => /^@pipeglot\/(?!schema$)/.test(d) || d === "elkjs")).toEqual([]);
    const imports = sources(join(CORE, "src")).flatMap((f) => [...readFileSync(f, "utf8").matchAll(/from "(@pipeglot\/[^"]+)"/g)].map((m) => m[1]!));
    expect([...new Set(imports)]).toEqual(["@pipeglot/schema"]);
  });
});
