/**
 * Commands survive exactly: random literal step text (quotes, $VAR, ${VAR}, $(cmd), $$, ${{,
 * backslashes, newlines, unicode) goes through compile and import. The command that comes back
 * is byte-identical, and what Cloud Build would run — after its substitution pass, modelled on
 * Google's documented rules — is exactly that text.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { escapeLiteral, validate } from "@pipeglot/schema";
import { applySubstitutions, compile, importFiles, parseSubstitutions } from "@pipeglot/gcp";

const BUILTINS = { PROJECT_ID: "p", BUILD_ID: "b", COMMIT_SHA: "c0ffee", SHORT_SHA: "c0ffee", BRANCH_NAME: "main", TAG_NAME: "", REPO_NAME: "r", _X: "x" };

const pieces = fc.constantFrom(
  "$",
  "$$",
  "$VAR",
  "${VAR}",
  "$_X",
  "${_X}",
  "$PROJECT_ID",
  "${COMMIT_SHA}",
  "$(date)",
  "$((1+2))",
  "${{",
  "$${{",
  "${{ vars.X }}",
  "}}",
  "'",
  '"',
  "`",
  "\\",
  "\\n",
  "\n",
  "\t",
  " ",
  "é",
  "😀",
  "日本",
  "#",
  ";",
  "&&",
  "|",
  "*",
  "{",
  "}",
  "%",
  "-",
  "x",
  "echo ",
  "a=b",
);
const literal = fc.array(fc.oneof(pieces, fc.string({ unit: "grapheme", maxLength: 5 })), { maxLength: 25 }).map((xs) => xs.join(""));

function pipeline(run: string, retries: number): string {
  const doc = {
    pipeglot: 1,
    name: "prop",
    source: { repository: "acme/prop" },
    stages: [{ name: "s", jobs: [{ name: "j", image: "bash:5", steps: [{ name: "cmd", run, ...(retries ? { retries } : {}) }] }] }],
  };
  return JSON.stringify(doc);
}

describe("gcp: commands survive exactly", () => {
  it("the substitution model follows Google's rules", () => {
    expect(applySubstitutions("$$HOME ${_X} $_X $PROJECT_ID $1 ${foo} $(cmd) $$$$", BUILTINS)).toBe("$HOME x x p $1 ${foo} $(cmd) $$");
    expect(applySubstitutions("${_UNKNOWN}-$lower", {})).toBe("-$lower");
    expect(parseSubstitutions("a$$b").map((p) => (p.kind === "text" ? p.value : p.key))).toEqual(["a$b"]);
  });

  it("random literal text comes back byte-identical and runs as written", () => {
    fc.assert(
      fc.property(literal, fc.constantFrom(0, 2), (text, retries) => {
        const run = escapeLiteral(text);
        const r = validate(pipeline(run, retries), { file: "prop.json" });
        expect(r.ir, JSON.stringify(r.diagnostics)).toBeDefined();
        const out = compile(r.ir!);
        const file = out.files.find((f) => f.path === "cloudbuild.yaml")!;
        const step = (parse(file.content) as { steps: { args: string[]; entrypoint: string }[] }).steps[0]!;
        expect(step.entrypoint).toBe("bash");
        // What bash receives after Cloud Build's substitution pass is the text itself.
        const arg = retries ? step.args[3]! : step.args[1]!;
        expect(applySubstitutions(arg, BUILTINS)).toBe(text);
        if (retries)
          expect(step.args.slice(0, 3).map((a, i) => (i === 1 ? applySubstitutions(a, BUILTINS).split("\n")[0] : a))).toEqual([
            "-c",
            `# pipeglot: {"retries":${retries}}`,
            "pipeglot",
          ]);
        // Import gives back the same neutral command.
        const back = importFiles(out.files.map((f) => ({ path: f.path, content: f.content })));
        const st = back.pipeline!.stages[0]!.jobs[0]!.steps[0]!;
        expect(st.run).toBe(run);
        expect(st.retries).toBe(retries);
      }),
      { numRuns: 300 },
    );
  });
});
