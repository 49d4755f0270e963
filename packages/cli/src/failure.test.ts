/** The CLI's exit code for each kind of PipeglotError (ARCHITECTURE.md, invariant 4), and for everything else. */
import { describe, expect, it, vi } from "vitest";
import { ConflictError, ERROR_KINDS, PipeglotError, UserError, type ErrorKind } from "@pipeglot/core";
import { failure } from "./main.js";
import { CliError } from "./io.js";

const EXPECTED: Record<ErrorKind, number> = { config: 1, auth: 1, "not-found": 1, api: 1, conflict: 1, usage: 2 };

describe("exit codes", () => {
  for (const kind of ERROR_KINDS)
    it(`kind ${kind}: exit ${EXPECTED[kind]}, one line, never "internal error"`, () => {
      const f = failure(new PipeglotError(`something about ${kind}`, kind));
      expect(f.exitCode).toBe(EXPECTED[kind]);
      expect(f.lines[0]).toBe(`pipeglot: something about ${kind}`);
      expect(f.lines.join("\n")).not.toContain("internal error");
      expect(f.lines.some((l) => l.includes("--help"))).toBe(kind === "usage");
    });

  it("UserError keeps its old meaning: usage by default (2), 1 is a setting to fix", () => {
    expect(new UserError("x").kind).toBe("usage");
    expect(failure(new UserError("x")).exitCode).toBe(2);
    expect(new UserError("x", 1).kind).toBe("config");
    expect(failure(new UserError("x", 1)).exitCode).toBe(1);
    expect(failure(new UserError("x", "auth")).exitCode).toBe(1);
  });

  it("a ConflictError is kind conflict: exit 1", () => {
    expect(new ConflictError("changed").kind).toBe("conflict");
    expect(failure(new ConflictError("changed")).exitCode).toBe(1);
  });

  it("a PipeglotError from another copy of core (same shape, other class) maps the same", () => {
    const foreign = Object.assign(new Error("no region"), { name: "AwsConnectError", kind: "config", exitCode: 1 });
    expect(failure(foreign)).toEqual({ exitCode: 1, lines: ["pipeglot: no region"] });
  });

  it("a CliError exits with its own code", () => {
    expect(failure(new CliError("bad flag", 2)).exitCode).toBe(2);
    expect(failure(new CliError("drift", 1)).exitCode).toBe(1);
  });

  it("anything else is an internal error (3): a bug", () => {
    for (const e of [new TypeError("x is undefined"), { code: "EX", message: "plain object" }, "a string"]) {
      const f = failure(e);
      expect(f.exitCode).toBe(3);
      expect(f.lines[0]).toMatch(/^pipeglot: internal error: /);
    }
  });
});

describe("an unknown option", () => {
  it("is named once, as typed, not also as its camel-case twin; exit 2", async () => {
    const { main } = await import("./main.js");
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      expect(await main(["validate", "examples/node-webapp/pipeglot.yaml", "--detailed-exitcod", "--bogus-flag"])).toBe(1);
      expect(await main(["validate", "examples/node-webapp/pipeglot.yaml", "--bogus-flag"])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    const text = lines.join("");
    expect(text).toContain("Unknown arguments: detailed-exitcod, bogus-flag\n");
    expect(text).toContain("Unknown argument: bogus-flag\n");
    expect(text).not.toMatch(/detailedExitcod|bogusFlag/);
  });
});
