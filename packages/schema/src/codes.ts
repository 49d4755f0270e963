/**
 * Every diagnostic code the schema package emits: its severity and what it means.
 * The README's diagnostics table and the tests are built from this table.
 */
export interface CodeInfo {
  severity: "error" | "warning" | "info";
  summary: string;
}

export const CODES = {
  "PG-INPUT-UNREADABLE": { severity: "error", summary: "The file cannot be read (missing, a folder, or no permission)." },
  "PG-INPUT-EMPTY": { severity: "error", summary: "The file is empty or holds only comments." },
  "PG-INPUT-BINARY": { severity: "error", summary: "The file is not text." },
  "PG-INPUT-ENCODING": { severity: "error", summary: "The file is not UTF-8 (the first invalid byte is pointed at)." },
  "PG-INPUT-TOO-LARGE": {
    severity: "error",
    summary: "The file (a definition, or a native file that import, translate, audit or pull reads) is larger than pipeglot reads (16 MiB).",
  },
  "PG-YAML-SYNTAX": { severity: "error", summary: "The YAML does not parse." },
  "PG-YAML-DUPLICATE-KEY": { severity: "error", summary: "A mapping holds the same key twice (the message names both positions)." },
  "PG-SCHEMA-UNKNOWN-KEY": { severity: "error", summary: "A key the format does not have (with a did-you-mean hint)." },
  "PG-SCHEMA-MISSING": { severity: "error", summary: "A required key is missing." },
  "PG-SCHEMA-TYPE": { severity: "error", summary: "A value of the wrong type." },
  "PG-SCHEMA-VALUE": { severity: "error", summary: "A value outside the allowed set." },
  "PG-SCHEMA-RANGE": { severity: "error", summary: "A number, text or list that is too small or too large." },
  "PG-SCHEMA-FORMAT": { severity: "error", summary: "Text that does not match the expected form (a duration, a name)." },
  "PG-NAME-INVALID": { severity: "error", summary: "A name no provider can represent." },
  "PG-NAME-COLLISION": { severity: "error", summary: "Two names that become the same once a provider sanitizes them." },
  "PG-DUPLICATE-NAME": { severity: "error", summary: "Two stages, jobs, steps, artifacts or parameters with the same name." },
  "PG-NEEDS-UNKNOWN": { severity: "error", summary: "`needs` names a stage or job that does not exist." },
  "PG-NEEDS-CYCLE": { severity: "error", summary: "`needs` forms a cycle (the cycle is named)." },
  "PG-ARTIFACT-UNKNOWN": { severity: "error", summary: "A job consumes an artifact that no job produces." },
  "PG-ARTIFACT-ORDER": { severity: "error", summary: "A job consumes an artifact produced by a job that does not run before it." },
  "PG-EXPR-SYNTAX": { severity: "error", summary: "A malformed ${{ }} expression." },
  "PG-EXPR-UNKNOWN-VAR": { severity: "error", summary: "A reference to a variable that is not declared." },
  "PG-EXPR-UNKNOWN-SECRET": { severity: "error", summary: "A reference to a secret that is not declared." },
  "PG-EXPR-UNKNOWN-MATRIX": { severity: "error", summary: "A reference to a matrix value the job does not define." },
  "PG-EXPR-DOLLAR-BEFORE-REF": {
    severity: "warning",
    summary:
      "A literal `$` right before a reference in a bash/sh script: the shell reads `$${NAME}` as its process id followed by `{NAME}`; write `${{ '\\$' }}`.",
  },
  "PG-FIRST-STAGE-GATE": { severity: "error", summary: "An approval or a disabled transition on a stage that nothing runs before." },
  "PG-STEP-KIND": { severity: "error", summary: "A step needs exactly one of `run` or `native`." },
  "PG-RUN-TOO-LARGE": { severity: "error", summary: "A step's `run` is larger than any provider carries (4 MiB)." },
  "PG-JOB-EMPTY": { severity: "error", summary: "A job with no steps and no native block." },
  "PG-CRON-INVALID": { severity: "error", summary: "A schedule whose cron expression is not five valid fields." },
  "PG-SECRET-NO-REF": { severity: "warning", summary: "A secret with no reference for any provider." },
  "PG-VERSION": { severity: "error", summary: "An unsupported format version." },
} as const satisfies Record<string, CodeInfo>;

export type SchemaCode = keyof typeof CODES;
