/**
 * import reads the files that a pipeline names (Azure templates) only inside the input's
 * repository (or a --template-root the user names): a template path that leaves it reads as absent,
 * and its content never appears in the output.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/paths.js";

const BIN = join(REPO, "packages/cli/dist/bundle/pipeglot.js");

describe("import reads only inside the repository", () => {
  it("a template inside the repository is read; one outside it is not", () => {
    const top = mkdtempSync(join(tmpdir(), "pipeglot-root-"));
    const repo = join(top, "repo");
    mkdirSync(join(repo, ".git"), { recursive: true });
    mkdirSync(join(repo, "ci"));
    writeFileSync(join(top, "secret.yml"), "steps:\n  - script: echo TOP-SECRET-LINE\n");
    writeFileSync(join(repo, "ci", "inside.yml"), "steps:\n  - script: echo from-inside\n");
    // A link inside the repository that points out of it: followed, it would leave the repository.
    symlinkSync(join(top, "secret.yml"), join(repo, "ci", "link.yml"));
    writeFileSync(
      join(repo, "azure-pipelines.yml"),
      "trigger: [main]\njobs:\n  - job: a\n    steps:\n      - template: ci/inside.yml\n  - job: b\n    steps:\n      - template: ../secret.yml\n  - job: c\n    steps:\n      - template: " +
        join(top, "secret.yml") +
        "\n  - job: d\n    steps:\n      - template: ci/link.yml\n",
    );
    const r = spawnSync(process.execPath, [BIN, "import", join(repo, "azure-pipelines.yml"), "--format", "json"], {
      cwd: top,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const out = r.stdout + r.stderr;
    expect(out).toContain("from-inside");
    expect(out).not.toContain("TOP-SECRET-LINE");
  });
});
