import { describe, expect, it } from "vitest";
import { macroCandidates, renderScript, renderValue } from "./text.js";
import { unescapeScript } from "../import/text.js";

const refs = { secret: (n: string) => `sec_${n}` };

describe("Azure text rendering (table)", () => {
  const table: [string, string, string][] = [
    ["plain", "npm test", "npm test"],
    ["variable", "echo ${{ vars.A }}", "echo $(A)"],
    ["secret through its azure variable", "echo ${{ secrets.T }}", "echo $(sec_T)"],
    ["git commit", "${{ git.commit }}", "$(Build.SourceVersion)"],
    ["command substitution with a space is safe", "echo $(date +%s)", "echo $(date +%s)"],
    ["macro-shaped literal is escaped", "echo $(date)", "eval 'echo $''(date)'"],
    ["literal ${{ is escaped", "echo $${{ x }}", "eval 'echo $''{{ x }}'"],
    ["whole-value $[ ] is escaped", "$[ 1 ]", "eval '$''[ 1 ]'"],
    ["quote inside an escaped script", "it's $(x)", "eval 'it'\\''s $''(x)'"],
  ];
  for (const [name, text, want] of table) it(name, () => expect(renderScript(text, "bash", refs).script).toBe(want));
  it("pwsh and python escaped forms", () => {
    expect(renderScript("echo $(x)", "pwsh", refs).script).toBe("Invoke-Expression ('echo $' + '(x)')");
    expect(renderScript("print('$(x)')", "python", refs).script).toBe('exec("print(\'$" "(x)\')")');
  });
  it("decodes each escaped form back to its pieces", () => {
    for (const shell of ["bash", "pwsh", "python"] as const) {
      const s = renderScript("a $(x) ${{ vars.V }} 'q'", shell, refs).script;
      const ps = unescapeScript(s)!;
      expect(ps.map((p) => (p.kind === "lit" ? p.text : `<${p.macro}>`)).join("")).toBe("a $(x) <$(V)> 'q'");
    }
  });
  it("finds macro candidates like the agent", () => {
    expect(macroCandidates("$($(a))").map((c) => c.key)).toEqual(["$(a", "a"]);
  });
  it("escapes ${{ in plain values with a template literal and flags macros", () => {
    expect(renderValue("a${{ b", refs)).toEqual({ value: "a${{ '${{' }} b", unescapable: false, branchName: false });
    expect(renderValue("$(x)", refs).unescapable).toBe(true);
  });
});
