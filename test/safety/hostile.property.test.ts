/**
 * Data stays data (issue 13): hostile text — command substitutions, backticks, `;`, quotes,
 * newlines, `${IFS}`, globs, spaces, option-like words — in every field of a valid definition that
 * can reach a generated script: variable values (overridable or not), job and step env values,
 * matrix values, working directories, artifact paths, branch globs, condition values, approval instructions,
 * transition reasons, descriptions, the artifact buckets and the Azure pool. Names and keys stay
 * valid (the format rejects others), and the branch of the run is hostile too (git allows `$(`,
 * `;`, quotes in refs). Not covered: pwsh/python steps (PG-GCB-VARIABLE-TEXT, PG-ADO-VARIABLE-TEXT
 * say their values are pasted) and backslashes in artifact paths (GNU tar unquotes
 * them: the archive misses the file, nothing runs).
 *
 * Each case compiles for all four providers. Every shell fragment (platforms.ts: buildspec
 * commands, Azure bash/script steps after the macro pass, Cloud Build bash/sh steps after the
 * substitution pass, OCI build and command spec commands) runs with real bash in a scratch
 * checkout, with the env the platform would give it. Asserted, independently of the compilers:
 * no marker file appears anywhere; the step that echoes values writes each one byte for byte;
 * the step behind a matching branch glob runs and sees the branch; tar receives the files the
 * artifact globs match. FUZZ_RUNS sets the number of cases (default 200, as issue 13 asks for a few hundred: about 20 fragments per case over the four providers, some 4,000 bash runs).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { escapeLiteral, validate, type PipelineDocument, type PipelineIR } from "@pipeglot/schema";
import type { OutputFile } from "@pipeglot/core";
import * as aws from "@pipeglot/aws";
import * as azure from "@pipeglot/azure";
import * as gcp from "@pipeglot/gcp";
import * as oci from "@pipeglot/oci";
import { awsFragments, azureFragments, gcpFragments, ociFragments, type Fragment, type Platform } from "./platforms.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const MARK = "PWNED";
const ROOT = mkdtempSync(join(tmpdir(), "pipeglot-hostile-"));
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

/** Fake tools on PATH: tar records its arguments (NUL-separated) and runs the real tar; the cloud CLIs succeed. */
const BIN = join(ROOT, "bin");
mkdirSync(BIN);
const REAL_TAR = spawnSync("bash", ["-c", "command -v tar"], { encoding: "utf8" }).stdout.trim();
writeFileSync(join(BIN, "tar"), `#!/bin/bash\nprintf '%s\\0' "$@" > "$(mktemp "$PG_OUT/tar.XXXXXX")"\nexec ${REAL_TAR} "$@"\n`);
for (const tool of ["gsutil", "gcloud", "docker", "oci"]) writeFileSync(join(BIN, tool), "#!/bin/sh\nexit 0\n");
for (const f of readdirSync(BIN)) chmodSync(join(BIN, f), 0o755);

/** Shell-active pieces; none holds '/' (so they fit in one path segment) or a macro of a declared name. */
const ACTIVE = [
  `$(touch ${MARK})`,
  `\`touch ${MARK}\``,
  `;touch ${MARK};`,
  `' ; touch ${MARK} ; '`,
  `" ; touch ${MARK} ; "`,
  `\ntouch ${MARK}\n`,
  `&& touch ${MARK}`,
  `| touch ${MARK}`,
  `$(touch\${IFS}${MARK})`,
];
const INERT = [
  "${IFS}",
  "$IFS",
  "*",
  "?",
  " ",
  "  ",
  "\t",
  "\n",
  "$HOME",
  "\\",
  "\\n",
  "$((1+1))",
  "#",
  "%s",
  "'",
  '"',
  "$(",
  ")",
  "}",
  "{",
  "$",
  "$$",
  "$_V_A",
  "${V_A}",
  "!",
  "~",
  "é",
  "日本",
  "-n",
  "-e",
  "--",
  "<x",
  ">x",
  "a",
  "b-c",
  "x=y",
];
const hostile = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...ACTIVE) },
      { weight: 4, arbitrary: fc.constantFrom(...INERT) },
      { weight: 1, arbitrary: fc.string({ maxLength: 6 }).filter((s) => !/[\0\r{$]/.test(s)) },
    ),
    { minLength: 1, maxLength: 5 },
  )
  .map((a) => a.join(""));
/** One path segment: no "/", not "." or "..", no glob class, no backslash (GNU tar unquotes backslashes in names: a pipeglot limit, not data becoming code). */
const segment = hostile.map((s) => s.replace(/[/[\]\0\\]/g, "_")).filter((s) => s !== "." && s !== ".." && s.trim() !== "");
/** A git branch name: what `git check-ref-format` accepts (no space, ~ ^ : ? * [ \ or control characters). */
const branchPart = fc
  .array(
    fc.constantFrom(
      `$(touch\${IFS}${MARK})`,
      `\`touch\${IFS}${MARK}\``,
      `;touch\${IFS}${MARK};`,
      "'",
      '"',
      "$HOME",
      "&&",
      "|",
      "}",
      "{",
      "$",
      "(",
      ")",
      ";",
      "<",
      ">",
      "!",
      "#",
      "%",
      "=",
      ",",
      "a",
      "-",
    ),
    { minLength: 1, maxLength: 5 },
  )
  .map((a) => `b${a.join("")}`);

interface Case {
  va: string;
  vb: string;
  je: string;
  se: string;
  wd: string;
  seg1: string;
  seg2: string;
  branch: string;
  prose: string;
  bucket: string;
  mx: string;
  shell: "bash" | "sh";
}
const caseArb: fc.Arbitrary<Case> = fc.record({
  va: hostile,
  vb: hostile,
  je: hostile,
  se: hostile,
  wd: segment,
  seg1: segment,
  seg2: segment,
  branch: branchPart,
  prose: hostile,
  bucket: hostile,
  mx: hostile,
  shell: fc.constantFrom("bash", "sh") as fc.Arbitrary<"bash" | "sh">,
});

const write = (tag: string, pairs: [string, string][]) => pairs.map(([file, ref]) => `printf '%s' "${ref}" > "$PG_OUT/${tag}.${file}"`).join(" && ");

function definition(c: Case): PipelineDocument {
  return {
    pipeglot: 1,
    name: "hostile",
    description: c.prose,
    source: { repository: "acme/app" },
    variables: { V_A: c.va, V_B: { default: c.vb, overridable: false, description: c.prose } },
    stages: [
      {
        name: "build",
        description: c.prose,
        jobs: [
          {
            name: "make",
            description: c.prose,
            image: "OL8_X86_64_STANDARD_10",
            env: { JE: escapeLiteral(c.je) },
            condition: { variables: { V_B: c.vb } },
            steps: [
              {
                name: "values",
                run: write("b", [
                  ["va", "${{ vars.V_A }}"],
                  ["je", "$JE"],
                  ["se", "$SE"],
                  ["dollar", "${{ '\\$' }}${{ vars.V_A }}"],
                ]),
                env: { SE: escapeLiteral(c.se) },
                shell: c.shell,
                condition: { variables: { V_A: c.va } },
              },
              { name: "branch", run: write("b", [["branch", "${{ git.branch }}"]]), condition: { branches: [`${c.branch.slice(0, 3)}*`] } },
              { name: "dir", run: `pwd > "$PG_OUT/b.pwd"`, workingDirectory: escapeLiteral(c.wd), retries: 1 },
            ],
            artifacts: { produce: [{ name: "out", paths: [`${c.seg1}/*.txt`, `${c.seg2}/**`] }] },
          },
        ],
      },
      {
        name: "deploy",
        approval: { instructions: c.prose, approvers: ["ops"] },
        transition: { enabled: true },
        jobs: [
          {
            name: "ship",
            image: "OL8_X86_64_STANDARD_10",
            artifacts: { consume: ["out"] },
            steps: [
              {
                name: "values",
                run: write("d", [
                  ["vb", "${{ vars.V_B }}"],
                  ["va", "${{ vars.V_A }}"],
                ]),
              },
            ],
          },
        ],
      },
      {
        name: "release",
        description: c.prose,
        transition: { enabled: false, reason: c.prose },
        jobs: [
          {
            name: "tag",
            image: "OL8_X86_64_STANDARD_10",
            matrix: { M: [c.mx] },
            steps: [
              {
                name: "values",
                run: write("r", [
                  ["va", "${{ vars.V_A }}"],
                  ["mx", "${{ matrix.M }}"],
                ]),
              },
            ],
          },
        ],
      },
    ],
    targets: { gcp: { artifactBucket: c.bucket }, aws: { artifactBucket: c.bucket }, azure: { pool: c.prose.replace(/\n/g, " ") || "p" } },
  } as PipelineDocument;
}

const PROVIDERS: [string, (ir: PipelineIR) => { files: OutputFile[] }, (files: OutputFile[], p: Platform, ws: string) => Fragment[]][] = [
  ["aws", aws.compile, awsFragments],
  ["azure", azure.compile, azureFragments],
  ["gcp", gcp.compile, gcpFragments],
  ["oci", oci.compile, ociFragments],
];

/** Every file under `dir` named like the marker. */
function markers(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((p) => p.split("/").pop() === MARK);
}

/** A scratch checkout with the files the artifact globs must match. */
function checkout(dir: string, c: Case): { expected: string[] } {
  mkdirSync(join(dir, c.seg1), { recursive: true });
  writeFileSync(join(dir, c.seg1, "a.txt"), "a");
  mkdirSync(join(dir, c.seg2, "x"), { recursive: true });
  writeFileSync(join(dir, c.seg2, "x", "y.bin"), "y");
  mkdirSync(join(dir, c.wd), { recursive: true });
  return { expected: [`${c.seg1}/a.txt`, `${c.seg2}/x/y.bin`] };
}

function run(f: Fragment, work: string, out: string): { status: number | null; stderr: string } {
  const cwd = f.dir !== undefined ? join(work, f.dir) : work;
  mkdirSync(cwd, { recursive: true });
  const env = { PATH: `${BIN}:${process.env.PATH ?? ""}`, HOME: work, PG_OUT: out, ...f.env };
  const r = spawnSync(f.argv[0]!, f.argv.slice(1), { cwd, env, encoding: "utf8", timeout: 10_000 });
  return { status: r.status, stderr: r.stderr };
}

function check(c: Case, caseNo: number): void {
  const r = validate(JSON.stringify(definition(c)), { file: "hostile.json" });
  expect(r.ir, JSON.stringify(r.diagnostics.filter((d) => d.severity === "error"))).toBeDefined();
  const platform: Platform = { branch: c.branch, commit: "c0ffee0", variables: { V_A: c.va, V_B: c.vb } };
  for (const [name, compile, fragments] of PROVIDERS) {
    const base = join(ROOT, `${caseNo}-${name}`);
    const work = join(base, "work");
    const out = join(base, "out");
    mkdirSync(out, { recursive: true });
    const { expected } = checkout(work, c);
    const frags = fragments(compile(r.ir!).files, platform, join(base, "ws"));
    expect(frags.length, name).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const f of frags) {
      const res = run(f, work, out);
      if (markers(base).length) throw new Error(`${name}: ${f.where} ran data as code (marker created)\n${JSON.stringify(f.argv)}\n${JSON.stringify(f.env)}`);
      if (res.status !== 0) failures.push(`${f.where}: exit ${res.status}: ${res.stderr.slice(0, 300)}`);
    }
    const got = (file: string) => (existsSync(join(out, file)) ? readFileSync(join(out, file), "utf8") : `<${file} not written; ${failures.join(" | ")}>`);
    expect(got("b.va"), `${name}: vars.V_A`).toBe(c.va);
    expect(got("b.dollar"), `${name}: a dollar sign before a reference, written as PG-EXPR-DOLLAR-BEFORE-REF says`).toBe("$" + c.va);
    expect(got("b.je"), `${name}: job env`).toBe(c.je);
    expect(got("b.se"), `${name}: step env`).toBe(c.se);
    expect(got("b.branch"), `${name}: git.branch behind a matching branch glob`).toBe(c.branch);
    expect(got("d.vb"), `${name}: vars.V_B`).toBe(c.vb);
    expect(got("d.va"), `${name}: vars.V_A after the approval`).toBe(c.va);
    expect(got("r.va"), `${name}: vars.V_A after a disabled transition`).toBe(c.va);
    expect(got("r.mx"), `${name}: matrix value`).toBe(c.mx);
    expect(got("b.pwd").replace(/\n$/, ""), `${name}: working directory`).toBe(join(work, c.wd));
    if (name === "gcp" || name === "oci") {
      const calls = readdirSync(out)
        .filter((f) => f.startsWith("tar."))
        .map((f) => readFileSync(join(out, f), "utf8").split("\0"));
      const args = calls.find((a) => a.includes("-czf")) ?? [];
      for (const e of expected) expect(args, `${name}: tar gets ${JSON.stringify(e)}`).toContain(e);
    }
    expect(failures, name).toEqual([]);
  }
}

describe("hostile text in every field stays data on every provider", () => {
  it(
    "no fragment runs it, and every value arrives intact",
    () => {
      let n = 0;
      fc.assert(
        fc.property(caseArb, (c) => check(c, n++)),
        { numRuns: RUNS },
      );
    },
    30_000 + RUNS * 3_000,
  );
});
