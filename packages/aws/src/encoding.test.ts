import { describe, expect, it } from "vitest";
import { decodeCommand, fromCodeBuildGlob, readHeader, renderCommand, shq, toCodeBuildGlob, unwrapCommand, wrapCommand, headerLine, type StepMeta } from "./encoding.js";

describe("encoding", () => {
  it("renders references as shell variables and reads back only injected names", () => {
    expect(renderCommand("echo ${{ vars.A }} ${{ secrets.S }} ${{ git.commit }} $${{ x }}")).toBe("echo ${A} ${S} ${PIPEGLOT_COMMIT} ${{ x }}");
    const refs = new Map([["A", "var"], ["S", "secret"], ["PIPEGLOT_COMMIT", "git.commit"]] as const);
    expect(decodeCommand("echo ${A} ${S} ${PIPEGLOT_COMMIT} ${{ x }} ${B} $A", refs)).toBe("echo ${{ vars.A }} ${{ secrets.S }} ${{ git.commit }} $${{ x }} ${B} $A");
    expect(decodeCommand("echo ${A}", new Map())).toBe("echo ${A}");
  });
  it.each<[StepMeta, string]>([
    [{}, "npm test"],
    [{ workingDirectory: "a b" }, "( cd 'a b' && bash -c 'npm test' )"],
    [{ env: { K: "v'1", T: "${{ secrets.T }}" } }, `( export K='v'\\''1' && export T="\${T}" && bash -c 'npm test' )`],
    [{ timeout: 60, shell: "sh" }, "( timeout 60 sh -c 'npm test' )"],
    [{ retries: 1, continueOnError: true }, `for pg_try in $(seq 1 2); do ( bash -c 'npm test' ) && break; [ "$pg_try" -lt 2 ] || false; done || true`],
    [{ when: "failure" }, `if [ "$CODEBUILD_BUILD_SUCCEEDING" = "0" ]; then ( bash -c 'npm test' ); fi`],
  ])("wraps and unwraps %j", (m, wrapped) => {
    expect(wrapCommand("npm test", m)).toBe(wrapped);
    expect(unwrapCommand(wrapped, m)).toBe("npm test");
    if (wrapped !== "npm test") expect(unwrapCommand(wrapped + " ", m)).toBeUndefined();
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
});
