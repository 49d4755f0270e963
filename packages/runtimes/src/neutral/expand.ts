/**
 * References as data (semantics item 5). In a step's `run`, each `${{ … }}` reference becomes the
 * text `${PIPEGLOT_REF_n}` at its place, and the step's environment holds PIPEGLOT_REF_n = the
 * value: the shell expands it like any `${V}` (split into words where unquoted, one word inside
 * double quotes, left as it is inside single quotes) and never parses the value as shell code.
 * In env values and condition values a reference is replaced by its value as text.
 */
import { parseTemplate, type Segment, type Shell } from "@pipeglot/schema";
import type { RunInputs } from "../options.js";

/** Where reference values come from: the run's inputs and the matrix cell of the job. */
export interface RefValues {
  inputs: RunInputs;
  cell: Record<string, string>;
}

/** The prefix of the variables that carry reference values into a step. */
const REF_PREFIX = "PIPEGLOT_REF_";

/** The value of one reference segment (a name the run does not know is the empty string). */
function referenceValue(s: Exclude<Segment, { kind: "text" }>, values: RefValues): string {
  switch (s.kind) {
    case "var":
      return values.inputs.variables[s.name] ?? "";
    case "secret":
      return values.inputs.secrets[s.name] ?? `fake-${s.name}`;
    case "matrix":
      return values.cell[s.name] ?? "";
    case "git":
      return s.name === "commit" ? values.inputs.commit : values.inputs.branch;
  }
}

/** Text with each reference replaced by its value (env values, condition values, paths). */
export function renderText(text: string, values: RefValues): string {
  return parseTemplate(text)
    .segments.map((s) => (s.kind === "text" ? s.value : referenceValue(s, values)))
    .join("");
}

/** How a shell reads the variable `name` at a place in its script (python has none: the value is written as it is). */
function expansion(shell: Shell, name: string, value: string): string {
  if (shell === "pwsh") return `\${env:${name}}`;
  if (shell === "python") return value;
  return `\${${name}}`;
}

interface ExpandedScript {
  /** The script with each reference replaced by an expansion of its variable. */
  script: string;
  /** PIPEGLOT_REF_n → value, for the step's environment. */
  env: Record<string, string>;
}

/** A step's `run` with its references as data: one variable per distinct reference, numbered in order of appearance. */
export function expandScript(run: string, shell: Shell, values: RefValues): ExpandedScript {
  const env: Record<string, string> = {};
  const byRef = new Map<string, string>();
  const script = parseTemplate(run)
    .segments.map((s) => {
      if (s.kind === "text") return s.value;
      const ref = `${s.kind}.${s.name}`;
      let name = byRef.get(ref);
      if (!name) {
        name = `${REF_PREFIX}${byRef.size + 1}`;
        byRef.set(ref, name);
        env[name] = referenceValue(s, values);
      }
      return expansion(shell, name, env[name]!);
    })
    .join("");
  return { script, env };
}
