import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeLiteral, formatTemplate, parseTemplate, references, renderTemplate } from "./expressions.js";

describe("parseTemplate", () => {
  it.each([
    ["plain", [{ kind: "text", value: "plain" }]],
    [
      "a ${{ vars.X }} b",
      [
        { kind: "text", value: "a " },
        { kind: "var", name: "X" },
        { kind: "text", value: " b" },
      ],
    ],
    ["${{secrets.TOKEN}}", [{ kind: "secret", name: "TOKEN" }]],
    [
      "${{ matrix.py }}-${{ git.commit }}",
      [
        { kind: "matrix", name: "py" },
        { kind: "text", value: "-" },
        { kind: "git", name: "commit" },
      ],
    ],
    ["$${{ vars.X }}", [{ kind: "text", value: "${{ vars.X }}" }]],
    [
      "$$${{ vars.X }}",
      [
        { kind: "text", value: "$" },
        { kind: "text", value: "${{ vars.X }}" },
      ]
        .slice(0, 0)
        .concat([{ kind: "text", value: "$${{ vars.X }}" }]),
    ],
    ["echo $HOME ${HOME} $(date) #{ns.v}", [{ kind: "text", value: "echo $HOME ${HOME} $(date) #{ns.v}" }]],
  ])("%j", (text, segments) => {
    const r = parseTemplate(text);
    expect(r.errors).toEqual([]);
    expect(r.segments).toEqual(segments);
  });

  it.each([
    ["${{ vars.X", "unterminated"],
    ["${{ env.HOME }}", "unknown expression"],
    ["${{ git.sha }}", "unknown git.sha"],
    ["${{ vars.1X }}", "unknown expression"],
  ])("reports %j", (text, message) => {
    const r = parseTemplate(text);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.message).toContain(message);
    expect(r.errors[0]!.offset).toBe(0);
  });

  it("references lists names by kind", () => {
    expect(references("${{ vars.A }}${{ secrets.B }}${{ matrix.C }}${{ vars.A }}")).toEqual({ vars: ["A", "A"], secrets: ["B"], matrix: ["C"] });
  });

  it("renders through a provider's renderer", () => {
    const out = renderTemplate("x=${{ vars.A }} s=${{ secrets.S }} ${{ git.branch }}", {
      text: (t) => t.toUpperCase(),
      var: (n) => `$(${n})`,
      secret: (n) => `$${n}`,
      matrix: (n) => n,
      git: (n) => `<${n}>`,
    });
    expect(out).toBe("X=$(A) S=$S <branch>");
  });
});

describe("escape", () => {
  it("any text survives escapeLiteral + parseTemplate byte for byte", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("$", "{", "}", "$$", "${{", "}}", " ", "a", "\\", "\n", "é", "🙂", "vars.X") }), (text) => {
        const r = parseTemplate(escapeLiteral(text));
        expect(r.errors).toEqual([]);
        expect(r.segments.map((s) => (s.kind === "text" ? s.value : "?")).join("")).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
  it("formatTemplate is the inverse of parseTemplate", () => {
    const seg = fc.oneof(
      fc.string({ unit: fc.constantFrom("$", "{", "}", "${{", "a", " ") }).map((value) => ({ kind: "text" as const, value })),
      fc.constantFrom("A", "B_1").map((name) => ({ kind: "var" as const, name })),
      fc.constantFrom("S").map((name) => ({ kind: "secret" as const, name })),
    );
    fc.assert(
      fc.property(fc.array(seg), (segs) => {
        const text = formatTemplate(segs);
        const back = parseTemplate(text).segments;
        expect(formatTemplate(back)).toBe(text);
        const flat = (ss: typeof segs) => ss.map((s) => (s.kind === "text" ? s.value : `<${s.kind}:${s.name}>`)).join("");
        expect(flat(back as typeof segs)).toBe(flat(segs));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("literal strings", () => {
  it("${{ '...' }} is literal text", () => {
    expect(parseTemplate("a${{ '$' }}${{ vars.X }}").segments).toEqual([
      { kind: "text", value: "a$" },
      { kind: "var", name: "X" },
    ]);
    expect(parseTemplate("${{ 'it''s' }}").segments).toEqual([{ kind: "text", value: "it's" }]);
  });
  it("a dollar before a reference round-trips", () => {
    const segs = [
      { kind: "text" as const, value: "$$" },
      { kind: "var" as const, name: "A" },
    ];
    expect(formatTemplate(segs)).toBe("${{ '$$' }}${{ vars.A }}");
    expect(parseTemplate(formatTemplate(segs)).segments).toEqual(segs);
  });
});
