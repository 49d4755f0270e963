import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { literalOf, renderWord, tokenize, type Token, type WordSeg } from "./tokenize.js";

const text = fc.string({ unit: "binary", maxLength: 12 }).map((s) => s.replace(/\0/g, ""));
const name = fc.stringMatching(/^PG_[A-Z]{1,3}$/);
const seg: fc.Arbitrary<WordSeg> = fc.oneof(
  text.map((value) => ({ kind: "text" as const, value, quoted: true })),
  name.map((n) => ({ kind: "env" as const, name: n })),
);
const word = fc.array(seg, { minLength: 1, maxLength: 4 });

/** A word's meaning: its text and expansions, adjacent text joined (how it was quoted does not matter). */
const meaning = (segs: readonly WordSeg[]) => {
  const out: (string | { env: string })[] = [];
  for (const s of segs) {
    if (s.kind === "env") out.push({ env: s.name });
    else if (typeof out[out.length - 1] === "string") out[out.length - 1] += s.value;
    else if (s.value) out.push(s.value);
  }
  return out.length ? out : [""];
};

/** What bash makes of the words with `env` set: each argument, NUL-terminated. */
const bashArgs = (words: string, env: Record<string, string>) =>
  spawnSync("bash", ["-c", `printf '%s\\0' ${words}`], { encoding: "utf8", env: { PATH: process.env.PATH, ...env } })
    .stdout.split("\0")
    .slice(0, -1);

/** Env values (passed through the process environment: no NUL, valid Unicode). */
const values = fc.dictionary(
  name,
  fc.string({ unit: "grapheme", maxLength: 12 }).map((s) => s.replace(/\0/g, "")),
);
const expand = (segs: readonly WordSeg[], env: Record<string, string>) => segs.map((s) => (s.kind === "text" ? s.value : (env[s.name] ?? ""))).join("");

describe("core's shell tokenizer", () => {
  it("reads back every word renderWord writes, and bash reads the same words", () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 3 }), values, (words, env) => {
        const rendered = words.map(renderWord);
        const tokens = tokenize(rendered.join(" "))!;
        expect(tokens.map((t) => (t.type === "word" ? meaning(t.segs) : t.op))).toEqual(words.map(meaning));
        expect(tokens.map((t) => (t as { raw: string }).raw)).toEqual(rendered);
        expect(bashArgs(rendered.join(" "), env)).toEqual(words.map((w) => expand(w, env)));
      }),
      { numRuns: 40 },
    );
  }, 180_000);

  it("operators between words come back in order", () => {
    const op = fc.constantFrom(";", "&&", "||", "|", "\n");
    fc.assert(
      fc.property(fc.array(fc.tuple(text, op), { minLength: 1, maxLength: 4 }), text, (pairs, last) => {
        const src =
          pairs.map(([w, o]) => `${renderWord([{ kind: "text", value: w, quoted: true }])} ${o} `).join("") +
          renderWord([{ kind: "text", value: last, quoted: true }]);
        const got = tokenize(src)!.map((t: Token) => (t.type === "op" ? t.op : literalOf(t)));
        expect(got).toEqual([...pairs.flatMap(([w, o]) => [w, o]), last]);
      }),
      { numRuns: 100 },
    );
  });

  it("refuses what it does not model", () => {
    for (const s of ["echo 'open", 'echo "open', "echo $(date)", "echo `date`", "cat <<EOF", "a > b", "a & b", "echo ${1x}", "x\\"])
      expect(tokenize(s)).toBeUndefined();
    expect(tokenize('a"$B"\\ c $D')!.map((t) => (t.type === "word" ? meaning(t.segs) : t.op))).toEqual([["a", { env: "B" }, " c"], [{ env: "D" }]]);
  });
});
