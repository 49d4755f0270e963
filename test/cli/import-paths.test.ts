/**
 * Paths a native file names (templates, build files) as import reads them through the built CLI,
 * inside a repository (a folder holding .git): relative to the file's folder, from a folder above
 * (`../eng/more.yml`), and from the repository root (Azure's `/eng/steps.yml`, a Cloud Build
 * trigger's `filename`); a path that leaves the repository is still not read.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), "pipeglot-import-paths-"));
  for (const d of ["repo/.git", "repo/.azure", "repo/eng", "repo/deploy/triggers", "repo/release"]) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(
    join(dir, "repo/.azure/pipeline.yml"),
    "trigger: [main]\npool:\n  vmImage: ubuntu-latest\nsteps:\n  - template: /eng/steps.yml\n  - template: ../eng/more.yml\n  - template: ../../outside.yml\n",
  );
  writeFileSync(join(dir, "repo/eng/steps.yml"), "steps:\n  - script: echo from-the-root\n");
  writeFileSync(join(dir, "repo/eng/more.yml"), "steps:\n  - script: echo from-above\n");
  writeFileSync(join(dir, "outside.yml"), "steps:\n  - script: echo outside-the-repository\n");
  writeFileSync(
    join(dir, "repo/deploy/triggers/push.json"),
    JSON.stringify({ name: "push", github: { owner: "acme", name: "web", push: { branch: "^main$" } }, filename: "release/cloudbuild.yaml" }),
  );
  writeFileSync(join(dir, "repo/release/cloudbuild.yaml"), "steps:\n  - name: node:20\n    entrypoint: bash\n    args: ['-c', 'echo released']\n");
  return dir;
}

describe("import reads the files a pipeline names, inside its repository", () => {
  const dir = repo();

  it("Azure: /eng/steps.yml from the root and ../eng/more.yml from above; ../../outside.yml is not read", async () => {
    const r = await runCli(["import", "repo/.azure/pipeline.yml"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("run: echo from-the-root");
    expect(r.stdout).toContain("run: echo from-above");
    expect(r.stdout).not.toContain("outside-the-repository");
    expect([...r.stderr.matchAll(/warning PG-ADO-IMPORT-TEMPLATE-MISSING template (\S+)/g)].map((m) => m[1])).toEqual(["../../outside.yml"]);
  });

  it("Cloud Build: a trigger's filename is read from the repository root", async () => {
    const r = await runCli(["import", "repo/deploy/triggers/push.json", "--from", "gcp"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("PG-GCB-IMPORT-FILENAME");
    expect(r.stdout).toContain("echo released");
  });
});
