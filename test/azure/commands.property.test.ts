/**
 * Commands survive exactly: random literal command text (written with escapeLiteral) goes through
 * compile and import and comes back byte-identical, and what Azure would run is the text itself.
 *
 * The Azure model used here (documented in packages/azure/src/compile/text.ts):
 *  - `${{` anywhere in a string starts a template expression;
 *  - a value that is entirely `$[ ... ]` is a runtime expression;
 *  - macros: VarUtil.ExpandValues — `$(key)` is replaced only when a variable `key` exists.
 * We assume every key that could name a variable exists (the worst case), so a compiled script is
 * safe when its only macro candidates with such keys are our own references. Escaped scripts are
 * decoded with an independent reading of bash single-quote concatenation.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeLiteral, normalize, type PipelineDocument } from "@pipeglot/schema";
import { compile, importFiles } from "@pipeglot/azure";
import { parse } from "yaml";

const pieces = fc.oneof(
  fc.constantFrom(
    "$(macro)",
    "$(Build.SourceVersion)",
    "$( x )",
    "$[ variables.x ]",
    "${{ parameters.x }}",
    "${{",
    "}}",
    "$VAR",
    "${VAR}",
    "\\",
    "\\\\",
    "'",
    '"',
    "\n",
    "\t",
    "é",
    "日本",
    "🙂",
    "$",
    "(",
    ")",
    "eval ",
    "''",
    " ",
    "#",
    ": ",
    "- ",
    "|",
    ">",
  ),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: "grapheme", maxLength: 4 }),
);
const commandText = fc.array(pieces, { minLength: 1, maxLength: 12 }).map((a) => a.join(""));

function pipeline(run: string, shell: "bash" | "pwsh" | "python" | "sh"): PipelineDocument {
  return {
    pipeglot: 1,
    name: "p",
    source: { repository: "acme/p" },
    stages: [{ name: "s", jobs: [{ name: "j", steps: [{ name: "cmd", run, shell }] }] }],
  } as PipelineDocument;
}

function agentWouldChange(script: string): boolean {
  if (script.includes("${{")) return true;
  if (/^\s*\$\[[\s\S]*\]\s*$/.test(script)) return true;
  let start = 0;
  for (;;) {
    const p = script.indexOf("$(", start);
    if (p < 0) return false;
    const q = script.indexOf(")", p + 2);
    if (q < 0) return false;
    if (/^\s*[A-Za-z0-9_.-]+\s*$/.test(script.slice(p + 2, q))) return true;
    start = p + 1;
  }
}

/** bash: `eval 'a'\''b''c'` → the string eval receives. */
function bashEvalArg(script: string): string | undefined {
  const m = /^eval ([\s\S]*)$/.exec(script);
  if (!m) return undefined;
  let out = "";
  let i = 0;
  const s = m[1]!;
  while (i < s.length) {
    if (s[i] === "'") {
      const j = s.indexOf("'", i + 1);
      out += s.slice(i + 1, j);
      i = j + 1;
    } else if (s.startsWith("\\'", i)) {
      out += "'";
      i += 2;
    } else return undefined;
  }
  return out;
}

function roundTrip(run: string, shell: "bash" | "pwsh" | "python" | "sh") {
  const out = compile(normalize(pipeline(run, shell)));
  const yaml = out.files.find((f) => f.kind === "azure.PipelineYaml")!.content;
  const step = parse(yaml).stages[0].jobs[0].steps[0];
  const script: string = step.bash ?? step.script ?? step.pwsh ?? step.inputs?.script;
  const back = importFiles(out.files.map((f) => ({ path: f.path, content: f.content })));
  return { script, back: back.pipeline?.stages[0]!.jobs[0]!.steps[0]!.run };
}

describe("commands survive compile → import exactly", () => {
  for (const shell of ["bash", "sh", "pwsh", "python"] as const) {
    it(`${shell}: byte-identical, and Azure leaves the literal text alone`, () => {
      fc.assert(
        fc.property(commandText, (text) => {
          const run = escapeLiteral(text);
          const { script, back } = roundTrip(run, shell);
          expect(back).toBe(run);
          expect(agentWouldChange(script)).toBe(false);
          if (shell === "bash" || shell === "sh") {
            const arg = bashEvalArg(script);
            expect(arg ?? script).toBe(text);
          }
        }),
        { numRuns: 300 },
      );
    });
  }
  it("keeps references as macros next to escaped literal text", () => {
    const run = "echo '$(date)' ${{ git.commit }} $${{ x }}";
    const { script, back } = roundTrip(run, "bash");
    expect(back).toBe(run);
    expect(script).toContain("'$(Build.SourceVersion)'");
    expect(bashEvalArg(script)).toBe("echo '$(date)' $(Build.SourceVersion) ${{ x }}");
  });
  it("writes plain text unchanged when Azure would not touch it", () => {
    const { script } = roundTrip('echo "$HOME" $(date +%s) \\n', "bash");
    expect(script).toBe('echo "$HOME" $(date +%s) \\n');
  });
});
