import { describe, expect, it } from "vitest";
import { literalOf, quoteLiteral, renderWord, tokenize } from "./shell.js";
import { parseWrapped } from "./import/commands.js";
import { stepCommand } from "./compile/commands.js";

describe("shell words", () => {
  it.each([
    ["plain", "plain"],
    ["a b", "'a b'"],
    ["it's", "'it'\\''s'"],
    ["", "''"],
    ["$HOME", "'$HOME'"],
  ])("quoteLiteral(%j) = %s and tokenizes back", (text, quoted) => {
    expect(quoteLiteral(text)).toBe(quoted);
    const t = tokenize(quoted)!;
    expect(t).toHaveLength(1);
    expect(literalOf(t[0])).toBe(text);
  });

  it("renders and reads expansions", () => {
    const w = renderWord([
      { kind: "text", value: "A=x y", quoted: true },
      { kind: "env", name: "TOKEN" },
    ]);
    expect(w).toBe(`'A=x y'"\${TOKEN}"`);
    const t = tokenize(w)!;
    expect(t[0]).toMatchObject({
      type: "word",
      segs: [
        { kind: "text", value: "A=x y" },
        { kind: "env", name: "TOKEN" },
      ],
    });
  });

  it("splits operators and refuses what it does not model", () => {
    expect(tokenize("a && b || c; d")!.map((t) => (t.type === "op" ? t.op : literalOf(t)))).toEqual(["a", "&&", "b", "||", "c", ";", "d"]);
    expect(tokenize("echo 'unterminated")).toBeUndefined();
    expect(tokenize("echo $(date)")).toBeUndefined();
    expect(tokenize("cat <<EOF")).toBeUndefined();
  });
});

describe("wrappers", () => {
  it("a guarded, retried docker step parses back into its parts", () => {
    const cmd = stepCommand({
      text: "echo 'hi' \"$X\"",
      shell: "sh",
      image: [
        { kind: "text", value: "python:", quoted: true },
        { kind: "env", name: "PG_MATRIX_py" },
      ],
      workingDirectory: "sub",
      env: [["A", [{ kind: "text", value: "1 2", quoted: true }]]],
      passthrough: ["X"],
      retries: 2,
      continueOnError: true,
      guard: {
        branchVar: "OCI_TRIGGER_SOURCE_BRANCH_NAME",
        clauses: [
          { kind: "branches", patterns: ["main", "release/*"] },
          { kind: "variable", name: "MODE", value: "on" },
        ],
      },
    });
    expect(parseWrapped(cmd)).toEqual({
      text: "echo 'hi' \"$X\"",
      shell: "sh",
      image: [
        { kind: "text", value: "python:", quoted: false },
        { kind: "env", name: "PG_MATRIX_py" },
      ],
      workingDirectory: "sub",
      env: [["A", [{ kind: "text", value: "1 2", quoted: true }]]],
      retries: 2,
      continueOnError: true,
      clauses: [
        { kind: "branches", patterns: ["main", "release/*"] },
        { kind: "variable", name: "MODE", value: "on" },
      ],
    });
  });

  it("a plain step is its text, and text that is not a wrapper is not parsed", () => {
    const plain = { text: "make all", shell: "bash" as const, env: [], passthrough: [], retries: 0, continueOnError: false };
    expect(stepCommand(plain)).toBe("make all");
    expect(parseWrapped("docker run --rm alpine sh -c 'echo'")).toBeUndefined();
  });
});
