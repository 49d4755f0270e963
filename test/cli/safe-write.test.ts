/**
 * Output never destroys the user's files (issue 13): through the built CLI, pipeglot refuses with
 * a usage error (exit 2), before writing anything, to write over its input, over a folder holding
 * files it did not write, or over anything but a regular file or folder.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, lstatSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/paths.js";

const BIN = join(REPO, "packages/cli/dist/bundle/pipeglot.js");
const run = (args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, all: r.stdout + r.stderr };
};
const FLAGSHIP = join(REPO, "examples/node-webapp/pipeglot.yaml");
const AZURE = join(REPO, "test/fixtures/translate/azure-pipelines.yml");

describe("--out naming a file where a folder must be", () => {
  it("is a usage error naming the file, for compile, translate and import, and nothing is written", () => {
    const dir = mkdtempSync(join(tmpdir(), "pipeglot-safe-"));
    writeFileSync(join(dir, "f"), "mine\n");
    for (const args of [
      ["compile", FLAGSHIP, "--target", "aws", "--out", "f"],
      ["compile", FLAGSHIP, "--target", "aws", "--out", "f/x/y"],
      ["translate", AZURE, "--to", "gcp", "--out", "f"],
      ["import", AZURE, "--out", "f/p.yaml"],
    ]) {
      const r = run(args, dir);
      expect(r.code, r.all).toBe(2);
      expect(r.all).toMatch(/cannot write .*: .*\/f is a file, not a folder; choose another --out/);
      expect(r.all).not.toMatch(/internal error|ENOTDIR/);
    }
    expect(readFileSync(join(dir, "f"), "utf8")).toBe("mine\n");
  });
});

describe("a native.gcp fragment of the wrong type (a user mistake, not a bug)", () => {
  it("compile and plan report it at its position and exit 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "pipeglot-safe-"));
    const file = join(dir, "p.yaml");
    writeFileSync(
      file,
      'pipeglot: 1\nname: p\nsource: { repository: acme/p }\nnative: { gcp: { steps: "x" } }\nstages:\n  - name: s\n    jobs:\n      - name: j\n        steps:\n          - run: make\n',
    );
    for (const args of [
      ["compile", file, "--target", "gcp", "--out", join(dir, "out")],
      ["plan", file, "--target", "gcp", "--endpoint", "http://127.0.0.1:9"],
    ]) {
      const r = run(args, dir);
      expect(r.code, r.all).toBe(1);
      expect(r.all).toMatch(/p\.yaml:4:25: error PG-GCB-NATIVE-INVALID native\.gcp left out: with it, steps must be a list of mappings/);
      expect(r.all).not.toMatch(/internal error/);
    }
  });
});

describe("writes never destroy the user's files", () => {
  it("compile refuses to replace a folder holding its input and an unrelated file", () => {
    const proj = mkdtempSync(join(tmpdir(), "pipeglot-safe-"));
    mkdirSync(join(proj, "aws"));
    copyFileSync(FLAGSHIP, join(proj, "aws", "pipeglot.yaml"));
    writeFileSync(join(proj, "aws", "main.tf"), "# mine\n");
    const r = run(["compile", "aws/pipeglot.yaml", "--out", "."], proj);
    expect(r.code, r.all).toBe(2);
    expect(r.all).toMatch(/refusing to replace .*aws: it holds the input/);
    expect(readFileSync(join(proj, "aws", "main.tf"), "utf8")).toBe("# mine\n");
    expect(existsSync(join(proj, "aws", "pipeglot.yaml"))).toBe(true);
    // Nothing else was written either: compile checks every folder first.
    for (const p of ["azure", "gcp", "oci"]) expect(existsSync(join(proj, p))).toBe(false);
  });

  it("compile refuses a folder with files pipeglot did not write, and replaces its own earlier output", () => {
    const dir = mkdtempSync(join(tmpdir(), "pipeglot-safe-"));
    expect(run(["compile", FLAGSHIP, "--target", "gcp", "--out", dir], dir).code).toBe(0);
    expect(run(["compile", FLAGSHIP, "--target", "gcp", "--out", dir], dir).code).toBe(0);
    writeFileSync(join(dir, "gcp", "notes.txt"), "mine\n");
    const r = run(["compile", FLAGSHIP, "--target", "gcp", "--out", dir], dir);
    expect(r.code, r.all).toBe(2);
    expect(r.all).toContain("holds files pipeglot did not write (notes.txt)");
    expect(readFileSync(join(dir, "gcp", "notes.txt"), "utf8")).toBe("mine\n");
  });

  it("translate refuses to overwrite its own input", () => {
    const t = mkdtempSync(join(tmpdir(), "pipeglot-safe-"));
    mkdirSync(join(t, "azure"));
    copyFileSync(AZURE, join(t, "azure", "azure-pipelines.yml"));
    const r = run(["translate", "azure/azure-pipelines.yml", "--to", "azure", "--out", "."], t);
    expect(r.code, r.all).toBe(2);
    expect(readFileSync(join(t, "azure", "azure-pipelines.yml"), "utf8")).toBe(readFileSync(AZURE, "utf8"));
  });

  it("import refuses to write over its input, a symbolic link or a folder", () => {
    const d = mkdtempSync(join(tmpdir(), "pipeglot-safe-"));
    copyFileSync(AZURE, join(d, "azure-pipelines.yml"));
    const self = run(["import", "azure-pipelines.yml", "--out", "azure-pipelines.yml"], d);
    expect(self.code, self.all).toBe(2);
    expect(self.all).toContain("it is one of the input files");
    writeFileSync(join(d, "target.txt"), "keep\n");
    symlinkSync(join(d, "target.txt"), join(d, "link.yaml"));
    const link = run(["import", "azure-pipelines.yml", "--out", "link.yaml"], d);
    expect(link.code, link.all).toBe(2);
    expect(link.all).toContain("a symbolic link");
    expect(lstatSync(join(d, "link.yaml")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(d, "target.txt"), "utf8")).toBe("keep\n");
    mkdirSync(join(d, "folder.yaml"));
    expect(run(["import", "azure-pipelines.yml", "--out", "folder.yaml"], d).code).toBe(2);
  });

  it("never renames over a FIFO (or a device: the same check)", () => {
    // A FIFO in a scratch folder stands for /dev/null: a regression must not harm the machine.
    const d = mkdtempSync(join(tmpdir(), "pipeglot-safe-"));
    const fifo = join(d, "pipe.yaml");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const r = run(["import", AZURE, "--out", fifo], d);
    expect(r.code, r.all).toBe(2);
    expect(r.all).toContain("not a regular file");
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});
