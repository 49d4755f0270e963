import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  copyInputsCommand,
  decodeCommand,
  fromCodeBuildGlob,
  readHeader,
  renderCommand,
  shq,
  toCodeBuildGlob,
  unwrapCommand,
  wrapCommand,
  headerLine,
  type StepMeta,
} from "./encoding.js";

describe("encoding", () => {
  it("renders references as shell variables and reads back only injected names", () => {
    expect(renderCommand("echo ${{ vars.A }} ${{ secrets.S }} ${{ git.commit }} $${{ x }}")).toBe("echo ${A} ${S} ${PIPEGLOT_COMMIT} ${{ x }}");
    const refs = new Map([
      ["A", "var"],
      ["S", "secret"],
      ["PIPEGLOT_COMMIT", "git.commit"],
    ] as const);
    expect(decodeCommand("echo ${A} ${S} ${PIPEGLOT_COMMIT} ${{ x }} ${B} $A", refs)).toBe(
      "echo ${{ vars.A }} ${{ secrets.S }} ${{ git.commit }} $${{ x }} ${B} $A",
    );
    expect(decodeCommand("echo ${A}", new Map())).toBe("echo ${A}");
  });
  it.each<[StepMeta, string]>([
    [{}, "bash -c 'npm test'"],
    [{ workingDirectory: "a b" }, "( cd 'a b' && bash -c 'npm test' )"],
    [{ env: { K: "v'1", T: "${{ secrets.T }}" } }, `( export K='v'\\''1' && export T="\${T}" && bash -c 'npm test' )`],
    [{ timeout: 60, shell: "sh" }, "( timeout 60 sh -c 'npm test' )"],
    [
      { retries: 1, continueOnError: true },
      `pg_exit=0; for pg_try in $(seq 1 2); do ( bash -c 'npm test' ) && break; pg_fail=$?; [ "$pg_try" -lt 2 ] || (exit "$pg_fail"); done || pg_exit=$?`,
    ],
    [{ when: "failure" }, `if [ "$CODEBUILD_BUILD_SUCCEEDING" = "0" ]; then ( bash -c 'npm test' ); fi`],
  ])("wraps and unwraps %j", (m, wrapped) => {
    expect(wrapCommand("npm test", m)).toBe(wrapped);
    expect(unwrapCommand(wrapped, m)).toBe("npm test");
    expect(unwrapCommand(wrapped + " ", m)).toBeUndefined();
  });
  it("reads the form compiled before (no JobMeta.isolated): a step without options is its command itself", () => {
    expect(wrapCommand("npm test", {}, false)).toBe("npm test");
    expect(unwrapCommand("npm test", {}, false)).toBe("npm test");
    expect(unwrapCommand("bash -c 'npm test'", {}, false)).toBe("bash -c 'npm test'");
    // A step with options had the same wrapper in both forms.
    expect(wrapCommand("npm test", { timeout: 5 }, false)).toBe(wrapCommand("npm test", { timeout: 5 }));
    expect(unwrapCommand("( timeout 5 bash -c 'npm test' )", { timeout: 5 }, false)).toBe("npm test");
    // The new form refuses a bare command (hand-edited), and a command that is not exactly quoted.
    expect(unwrapCommand("npm test", {})).toBeUndefined();
    expect(unwrapCommand(`bash -c 'a'b'`, {})).toBeUndefined();
  });
  it("runs each step afresh in the build's one shell: a cd, an export, a variable or an exit does not reach the next step", () => {
    const root = mkdtempSync(join(tmpdir(), "pg-aws-isolated-"));
    try {
      const steps = [
        wrapCommand("mkdir -p sub && cd sub && export PG_LEAK=leaked && PG_MINE=1 && touch here.txt", {}),
        wrapCommand('test -z "${PG_LEAK:-}${PG_MINE:-}" && test ! -e here.txt && test -d sub && echo fresh', {}),
        wrapCommand("cd sub && exit 3", { continueOnError: true }),
        `echo "exit=$pg_exit"`,
        wrapCommand("exit 7", {}),
        `echo "rc=$? pwd=$(basename "$PWD")"`,
      ];
      // CodeBuild (buildspec 0.2): all the commands in one shell instance.
      expect(execFileSync("bash", ["-c", steps.join("\n")], { cwd: root, encoding: "utf8" })).toBe(`fresh\nexit=3\nrc=7 pwd=${root.split("/").pop()!}\n`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
  it("single-quotes for POSIX shells", () => expect(shq("it's")).toBe(`'it'\\''s'`));
  it("maps trailing /** to CodeBuild's /**/* and back", () => {
    expect(toCodeBuildGlob("dist/**")).toBe("dist/**/*");
    expect(fromCodeBuildGlob("dist/**/*")).toBe("dist/**");
    expect(toCodeBuildGlob("dist/*.jar")).toBe("dist/*.jar");
  });
  it("reads the header line back, and ignores other comments", () => {
    const meta = { job: "j", steps: [{ name: "s" }], needs: ["a"] };
    expect(readHeader(`# ${headerLine(meta)}\nversion: 0.2\n`)).toEqual(meta);
    expect(readHeader("# just a comment\nversion: 0.2\n")).toBeUndefined();
    expect(readHeader("# pipeglot: {broken\n")).toBeUndefined();
  });
  it("a retried step that keeps failing ends with its last attempt's exit status; continueOnError keeps it in pg_exit while the command succeeds", () => {
    const run = (script: string) => execFileSync("bash", ["-c", `${script}; echo "rc=$? try=\${pg_try:-} exit=\${pg_exit:-}"`], { encoding: "utf8" }).trim();
    expect(run(wrapCommand("exit 3", { retries: 2 }))).toBe("rc=3 try=3 exit=");
    expect(run(wrapCommand("exit 3", { continueOnError: true }))).toBe("rc=0 try= exit=3");
    expect(run(wrapCommand("exit 4", { retries: 1, continueOnError: true }))).toBe("rc=0 try=2 exit=4");
    expect(run(wrapCommand("true", { retries: 1, continueOnError: true }))).toBe("rc=0 try=1 exit=0");
  });
  it("copies each consumed artifact's folder into CODEBUILD_SRC_DIR, a hyphenated name read from the environment", () => {
    const root = mkdtempSync(join(tmpdir(), "pg-aws-inputs-"));
    try {
      for (const [dir, file] of [
        ["src", "a.txt"],
        ["in1", "dist/app.js"],
        ["in2", "lib/x.so"],
      ] as const) {
        mkdirSync(join(root, dir, file, ".."), { recursive: true });
        writeFileSync(join(root, dir, file), dir);
      }
      const cmd = copyInputsCommand(["web_dist", "native-lib"]);
      expect(cmd).toBe(
        `pg_in="\${CODEBUILD_SRC_DIR_web_dist:-}" && { [ -z "$pg_in" ] || [ -z "\${CODEBUILD_SRC_DIR:-}" ] || cp -R "$pg_in"/. "$CODEBUILD_SRC_DIR"/; }` +
          ` && pg_in="$(env | sed -n 's/^CODEBUILD_SRC_DIR_native-lib=//p')" && { [ -z "$pg_in" ] || [ -z "\${CODEBUILD_SRC_DIR:-}" ] || cp -R "$pg_in"/. "$CODEBUILD_SRC_DIR"/; }`,
      );
      const env = {
        PATH: process.env.PATH ?? "",
        CODEBUILD_SRC_DIR: join(root, "src"),
        CODEBUILD_SRC_DIR_web_dist: join(root, "in1"),
        "CODEBUILD_SRC_DIR_native-lib": join(root, "in2"),
      };
      execFileSync("bash", ["-c", cmd], { cwd: join(root, "src"), env });
      expect(readdirSync(join(root, "src"), { recursive: true }).map(String).sort()).toEqual(["a.txt", "dist", "dist/app.js", "lib", "lib/x.so"]);
      expect(readFileSync(join(root, "src/lib/x.so"), "utf8")).toBe("in2");
      // Outside CodeBuild (no folder variables) it copies nothing and succeeds.
      expect(execFileSync("bash", ["-c", `${cmd} && echo ok`], { cwd: join(root, "in1"), env: { PATH: env.PATH }, encoding: "utf8" })).toBe("ok\n");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
