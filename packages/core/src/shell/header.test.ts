import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { headerLine, readHeader, splitHeader, withHeader } from "./header.js";

const meta = fc.dictionary(fc.string({ unit: "binary", maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
/** What JSON keeps of a value (-0 becomes 0): the header promises a JSON round trip. */
const viaJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

describe("core's one header format", () => {
  it("reads back what it writes, as the first line or among other lines", () => {
    fc.assert(
      fc.property(meta, fc.string({ unit: "binary", maxLength: 40 }), (m, body) => {
        const line = headerLine(m);
        expect(line.startsWith("# pipeglot: {")).toBe(true);
        expect(line).not.toContain("\n");
        expect(readHeader(line)).toEqual(viaJson(m));
        expect(splitHeader(withHeader(m, body))).toEqual({ meta: viaJson(m), body });
        expect(readHeader(`# other comment\n${line}\nrest`, true)).toEqual(viaJson(m));
        expect(readHeader(`# other comment\n${line}`)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it("is a comment for bash and for YAML", () => {
    fc.assert(
      fc.property(
        meta,
        fc.string({ maxLength: 20 }).map((s) => s.replace(/\0/g, "")),
        (m, word) => {
          const script = withHeader(m, `printf '%s' "$1"`);
          expect(execFileSync("bash", ["-c", script, "x", word], { encoding: "utf8" })).toBe(word);
          expect(parse(`${headerLine(m)}\nkey: value\n`)).toEqual({ key: "value" });
        },
      ),
      { numRuns: 30 },
    );
  });

  it("reads Cloud Build wrappers written before the one format, and nothing that is not a JSON object", () => {
    expect(readHeader('# pipeglot {"retries":2}\nexec bash')).toEqual({ retries: 2 });
    expect(readHeader("# pipeglot: [1]")).toBeUndefined();
    expect(readHeader("# pipeglot: {oops")).toBeUndefined();
    expect(readHeader("echo hi")).toBeUndefined();
  });
});
