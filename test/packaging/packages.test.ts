/**
 * Every package is publishable on its own (issue 17): metadata, LICENSE and README in the tarball,
 * no source maps or build leftovers, the cloud SDKs optional peers loaded lazily, the CLI's own
 * version. The full install-and-run check is `npm run pack:check` (scripts/pack-check.mjs).
 */
import { execFileSync } from "node:child_process";
import { builtinModules } from "node:module";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { REPO } from "../helpers/paths.js";

interface PackageJson {
  name: string;
  version: string;
  license?: string;
  homepage?: string;
  repository?: { type?: string; url?: string; directory?: string };
  bugs?: { url?: string };
  publishConfig?: { access?: string };
  engines?: { node?: string };
  files?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const DIRS = readdirSync(join(REPO, "packages")).sort();
const pkgOf = (dir: string): PackageJson => JSON.parse(readFileSync(join(REPO, "packages", dir, "package.json"), "utf8")) as PackageJson;

/** The cloud SDKs each provider's live commands load (written by hand, from the vendors' package names). */
const SDKS: Record<string, string[]> = {
  aws: ["@aws-sdk/client-codebuild", "@aws-sdk/client-codepipeline"],
  azure: ["azure-devops-node-api"],
  gcp: ["@google-cloud/cloudbuild", "google-auth-library"],
  oci: ["oci-common", "oci-devops"],
};
const ALL_SDKS = Object.values(SDKS).flat();

describe("package metadata", () => {
  it("covers the ten packages", () => {
    expect(DIRS).toEqual(["aws", "azure", "cli", "compare", "core", "emulators", "gcp", "oci", "runtimes", "schema"]);
  });

  it.each(DIRS)("%s: license, repository with directory, homepage, bugs, public access, engines, files", (dir) => {
    const pkg = pkgOf(dir);
    expect(pkg.name).toBe(`@pipeglot/${dir}`);
    expect(pkg.license).toBe("Apache-2.0");
    expect(pkg.repository).toEqual({ type: "git", url: "git+https://github.com/pipeglot/pipeglot.git", directory: `packages/${dir}` });
    expect(pkg.homepage).toBe(`https://github.com/pipeglot/pipeglot/tree/main/packages/${dir}#readme`);
    expect(pkg.bugs).toEqual({ url: "https://github.com/pipeglot/pipeglot/issues" });
    expect(pkg.publishConfig).toEqual({ access: "public" });
    expect(pkg.engines?.node).toBe(">=20.19");
    expect(pkg.files).toContain(dir === "cli" ? "dist/bundle" : "dist");
    expect(pkg.files).toEqual(expect.arrayContaining(["!dist/**/*.map", "!dist/.tsbuildinfo"]));
  });

  it.each(DIRS)("%s: LICENSE is the repository's Apache-2.0 text, and a README exists", (dir) => {
    const license = readFileSync(join(REPO, "packages", dir, "LICENSE"), "utf8");
    expect(license).toBe(readFileSync(join(REPO, "LICENSE"), "utf8"));
    expect(license).toContain("Apache License");
    expect(readFileSync(join(REPO, "packages", dir, "README.md"), "utf8")).toMatch(/^#{1,2} \S/);
  });

  it.each(DIRS)("%s: no cloud SDK is a hard dependency", (dir) => {
    const deps = Object.keys(pkgOf(dir).dependencies ?? {});
    expect(deps.filter((d) => ALL_SDKS.includes(d))).toEqual([]);
  });

  it("cli: its bundle holds everything but the SDKs and the emulators, so it depends on the emulators only", () => {
    expect(pkgOf("cli").dependencies).toEqual({ "@pipeglot/emulators": pkgOf("emulators").version });
  });

  it.each(Object.keys(SDKS))("%s: its SDKs are optional peers, installed for the repository's tests as devDependencies", (dir) => {
    const pkg = pkgOf(dir);
    expect(Object.keys(pkg.peerDependencies ?? {}).sort()).toEqual(SDKS[dir]);
    for (const sdk of SDKS[dir]!) {
      expect(pkg.peerDependenciesMeta?.[sdk]).toEqual({ optional: true });
      expect(pkg.devDependencies?.[sdk], sdk).toBeTruthy();
    }
  });
});

interface Packed {
  name: string;
  files: { path: string }[];
}

describe("npm pack (dry run) of every workspace", () => {
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--workspaces"], { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }),
  ) as Packed[];
  const filesOf = (name: string) => packed.find((p) => p.name === name)?.files.map((f) => f.path) ?? [];

  it("packs the ten packages", () => {
    expect(packed.map((p) => p.name).sort()).toEqual(DIRS.map((d) => `@pipeglot/${d}`));
  });

  it.each(DIRS)("@pipeglot/%s: LICENSE, README.md, its main module and types; no source map, no .tsbuildinfo, no tests", (dir) => {
    const files = filesOf(`@pipeglot/${dir}`);
    const pkg = pkgOf(dir) as PackageJson & { main: string; types: string };
    expect(files).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json", pkg.main, pkg.types]));
    expect(files.filter((f) => f.endsWith(".map") || f.endsWith(".tsbuildinfo") || /\.test\.(js|ts)$/.test(f) || f.startsWith("src/"))).toEqual([]);
  });

  it("@pipeglot/cli ships its launcher, the bundle (not the unbundled modules), the price file and the examples demo compiles (definitions only)", () => {
    const files = filesOf("@pipeglot/cli");
    expect(files).toEqual(
      expect.arrayContaining([
        "bin/pipeglot.js",
        "dist/bundle/pipeglot.js",
        "dist/bundle/index.js",
        "dist/prices/prices.json",
        "dist/examples/node-webapp/pipeglot.yaml",
      ]),
    );
    expect(files.filter((f) => f.endsWith(".js") && !f.startsWith("dist/bundle/") && f !== "bin/pipeglot.js")).toEqual([]);
    const examples = readdirSync(join(REPO, "examples")).sort();
    expect(files.filter((f) => f.startsWith("dist/examples/")).sort()).toEqual(examples.map((e) => `dist/examples/${e}/pipeglot.yaml`));
  });

  it("@pipeglot/cli ships the license of each third-party package its bundle holds", () => {
    expect(filesOf("@pipeglot/cli")).toContain("dist/bundle/THIRD-PARTY-LICENSES.txt");
    const notices = readFileSync(join(REPO, "packages/cli/dist/bundle/THIRD-PARTY-LICENSES.txt"), "utf8");
    for (const bundled of ["yargs", "yaml", "zod", "elkjs", "picocolors"])
      expect(notices, bundled).toMatch(new RegExp(`^${bundled}@\\d+\\.\\d+\\.\\d+ — \\S+`, "m"));
    expect(notices).toContain("Permission is hereby granted");
  });

  it("@pipeglot/schema ships the JSON Schema", () => {
    expect(filesOf("@pipeglot/schema")).toContain("pipeline.schema.json");
  });
});

describe("the built CLI", () => {
  it("--version prints the cli package's version, not the version of the project it runs in", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "pipeglot-version-"));
    writeFileSync(join(cwd, "package.json"), JSON.stringify({ name: "some-project", version: "9.9.9" }));
    const r = await runCli(["--version"], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkgOf("cli").version);
  });

  it("keeps each cloud SDK out of the bundle, loaded by import() only", () => {
    const dir = join(REPO, "packages/cli/dist/bundle");
    const code = [join(dir, "pipeglot.js"), ...readdirSync(join(dir, "chunks")).map((c) => join(dir, "chunks", c))]
      .filter((f) => f.endsWith(".js"))
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    // What the bundle imports at run time: node's modules, the SDKs and the emulators, nothing else.
    const specifiers = new Set([...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)"((?:@[a-z0-9-]+\/)?[a-z0-9][\w.-]*)(?:\/[^"]*)?"/g)].map((m) => m[1]!));
    const external = [...specifiers].filter((n) => !n.startsWith("node:") && !builtinModules.includes(n)).sort();
    expect(external).toEqual([...ALL_SDKS, "@pipeglot/emulators"].sort());
    for (const sdk of ALL_SDKS) {
      expect(code, sdk).toContain(`import("${sdk}")`);
      expect(code, sdk).not.toMatch(new RegExp(`from\\s*"${sdk.replace(/[/.]/g, "\\$&")}"`));
    }
  });
});
