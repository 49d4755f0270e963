/**
 * Files the pipeline reads from the repository are part of the plan (issue 14, item 3), through
 * the built CLI against the emulators: OCI's build specs and Azure's YAML are compared with the
 * working tree at the repository root (the folder holding .git, above the definition's folder).
 * A missing or edited file is a change (--detailed-exitcode 2, a line diff, named in --format
 * json); apply writes it there and names the files to commit; pull reads them back from the
 * working tree into a definition that validates and holds the edit.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulators, type Emulators } from "@pipeglot/emulators";
import { REPO } from "../helpers/paths.js";
import { env as ociEnv, identity, type Identity } from "../oci-live/helpers.js";
import { runCli } from "../helpers/cli.js";

const EXAMPLE = join(REPO, "examples/node-webapp/pipeglot.yaml");
const OCI_PROJECT = "ocid1.devopsproject.oc1.eu-frankfurt-1.amaaaaaashop";
const LINT = "run: npm ci && npm run lint";
const EDITED = "run: npm ci && npm run lint -- --max-warnings 0";

let emu: Emulators;
let id: Identity;
let env: NodeJS.ProcessEnv;
const dirs: string[] = [];

const run = (args: string[], cwd: string) => runCli(args, { cwd, env });

/** A repository (a .git folder) with the example's definition in a sub-folder, ci/. */
function repository(): { root: string; ci: string; file: string } {
  const root = mkdtempSync(join(tmpdir(), "pipeglot-repo-files-"));
  dirs.push(root);
  mkdirSync(join(root, ".git"));
  const ci = join(root, "ci");
  mkdirSync(ci);
  copyFileSync(EXAMPLE, join(ci, "pipeglot.yaml"));
  return { root, ci, file: join(ci, "pipeglot.yaml") };
}

beforeAll(async () => {
  id = identity();
  emu = await startEmulators({ providers: ["oci", "azure"], seed: 14, ociTrustedKeys: { [id.keyId]: id.publicKey } });
  // The example builds a GitHub repository: Azure needs the service connection compile names.
  emu.azure.addServiceEndpoint("shop", "github");
  emu.azure.addRepository("shop", "shop-web");
  env = { ...process.env, ...emu.env, ...ociEnv(id), AZURE_DEVOPS_TOKEN: "pgtok-repo-files", NO_COLOR: "1" };
});
afterAll(async () => {
  await emu?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  if (id) rmSync(id.dir, { recursive: true, force: true });
});

const cases = [
  // An edit of a step changes only the build spec on OCI; on Azure the YAML, and the source-hash tag of the definition.
  { target: "oci", file: ".pipeglot/oci/build_specs/build.lint.yaml", files: 4, updates: 1, pull: ["--project", OCI_PROJECT] },
  { target: "azure", file: "azure-pipelines.yml", files: 1, updates: 2, pull: ["--project", "shop"] },
] as const;

describe.each(cases)("plan/apply/pull --target $target: the files the pipeline reads from the repository", ({ target, file, files, updates, pull }) => {
  const repo = repository();
  const at = join(repo.root, file);
  const plan = (...more: string[]) => run(["plan", repo.file, "--target", target, "--detailed-exitcode", ...more], repo.ci);
  const apply = () => run(["apply", repo.file, "--target", target, "--auto-approve"], repo.ci);

  it("plan exits 2: the files are missing from the working tree, the resources from the cloud", async () => {
    const r = await plan();
    expect(r.code, r.out).toBe(2);
    expect(r.out).toContain(`+ create repo.File/${file}  (not in the working tree)`);
    expect(r.out).toContain(`+++ b/${file}`);
    expect(r.out).toMatch(new RegExp(`\\+ create ${target}\\.`));
  });

  it("apply writes them at the repository root (not beside the definition) and names the files to commit", async () => {
    const r = await apply();
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/commit these files \(the pipeline reads them from the repository\): .*/);
    expect(r.out.match(/commit these files[^\n]*/)![0].split(", ")).toHaveLength(files);
    expect(r.out).toContain(file);
    expect(readFileSync(at, "utf8")).toContain(`npm ci && npm run lint`);
    expect(existsSync(join(repo.ci, file))).toBe(false);
  });

  it("then plan exits 0", async () => {
    const r = await plan();
    expect(r.code, r.out).toBe(0);
  });

  it("an edited step command is drift: plan exits 2 with the file's diff, and --format json names the file", async () => {
    const text = readFileSync(repo.file, "utf8");
    expect(text).toContain(LINT);
    writeFileSync(repo.file, text.replace(LINT, EDITED));
    const r = await plan();
    expect(r.code, r.out).toBe(2);
    expect(r.out).toContain(`~ update repo.File/${file}`);
    expect(r.out).toMatch(/^ {6}-.*npm ci && npm run lint'?$/m);
    expect(r.out).toMatch(/^ {6}\+.*npm ci && npm run lint -- --max-warnings 0'?$/m);
    expect(r.out).toContain(`Plan: 0 to create, ${updates} to update, 0 to delete`);
    const j = await plan("--format", "json");
    expect(j.code).toBe(2);
    const p = JSON.parse(j.stdout).plans[0];
    expect(p.repositoryFiles).toEqual([{ path: file, action: "update" }]);
    expect(p.changes.find((c: { key: { name: string } }) => c.key.name === file).textDiff).toContain("+");
  });

  it("apply writes the edit (exit 0), names the file to commit, and plan exits 0", async () => {
    const r = await apply();
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`commit these files (the pipeline reads them from the repository): ${file}\n`);
    expect(readFileSync(at, "utf8")).toContain("--max-warnings 0");
    const p = await plan();
    expect(p.code, p.out).toBe(0);
  });

  it("pull (in the definition's folder) reads the files from the working tree: the definition validates and holds the edit", async () => {
    const r = await run(["pull", "shop-web", "--target", target, ...pull, "--out", "pulled.yaml"], repo.ci);
    expect(r.code, r.out).toBe(0);
    const pulled = readFileSync(join(repo.ci, "pulled.yaml"), "utf8");
    expect(pulled).toContain(EDITED);
    const v = await run(["validate", "pulled.yaml"], repo.ci);
    expect(v.code, v.out).toBe(0);
  });
});

describe("pull --target oci outside the repository", () => {
  it("without the build specs, the definition still validates: the consume of an artifact whose producer is not read is dropped", async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "pipeglot-repo-files-empty-"));
    dirs.push(elsewhere);
    const r = await run(["pull", "shop-web", "--target", "oci", "--project", OCI_PROJECT, "--out", "pulled.yaml"], elsewhere);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("PG-OCI-IMPORT-BUILD-SPEC-MISSING");
    expect(r.out).toContain("PG-IMPORT-CONSUME-DROPPED");
    const v = await run(["validate", "pulled.yaml"], elsewhere);
    expect(v.code, v.out).toBe(0);
  });
});

describe("a file in the working tree that pipeglot did not generate", () => {
  it("blocks plan (exit 1) and apply, and is left as it was", async () => {
    const repo = repository();
    writeFileSync(join(repo.root, "azure-pipelines.yml"), "trigger: none\nsteps: [{ script: echo mine }]\n");
    const r = await run(["plan", repo.file, "--target", "azure", "--detailed-exitcode"], repo.ci);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain("blocked repo.File/azure-pipelines.yml: azure-pipelines.yml exists in the working tree but was not generated by pipeglot");
    const a = await run(["apply", repo.file, "--target", "azure", "--auto-approve"], repo.ci);
    expect(a.code, a.out).toBe(1);
    expect(readFileSync(join(repo.root, "azure-pipelines.yml"), "utf8")).toBe("trigger: none\nsteps: [{ script: echo mine }]\n");
  });
});

describe("--push-yaml on Azure Repos", () => {
  it("still pushes the YAML (azure.PipelineYaml), and leaves the working tree alone", async () => {
    const repo = repository();
    const text = readFileSync(repo.file, "utf8")
      .replace("name: shop-web", "name: shop-pushed")
      .replace(
        /source:\n {2}repository: acme\/shop-web\n {2}branch: main\n {2}provider: github/,
        "source:\n  repository: shop-web\n  branch: main\n  provider: azure-repos",
      );
    expect(text).toContain("provider: azure-repos");
    writeFileSync(repo.file, text);
    const args = [repo.file, "--target", "azure", "--push-yaml"];
    const p = await run(["plan", ...args, "--detailed-exitcode"], repo.ci);
    expect(p.code, p.out).toBe(2);
    expect(p.out).toContain("+ create azure.PipelineYaml/shop-web@main:azure-pipelines.yml");
    expect(p.out).not.toContain("repo.File");
    const a = await run(["apply", ...args, "--auto-approve"], repo.ci);
    expect(a.code, a.out).toBe(0);
    expect(a.out).not.toContain("commit these files");
    expect(existsSync(join(repo.root, "azure-pipelines.yml"))).toBe(false);
    const files = emu.azure
      .state()
      .find((x) => x.name === "shop")!
      .repositories.find((r) => r.name === "shop-web")!.files;
    expect(files["/azure-pipelines.yml"]).toContain("Generated by pipeglot from pipeline shop-pushed.");
    const again = await run(["plan", ...args, "--detailed-exitcode"], repo.ci);
    expect(again.code, again.out).toBe(0);
  });
});
