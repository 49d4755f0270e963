/**
 * The codes of the import repair pass (repair/index.ts): each names one way an imported pipeline
 * was made valid. All are warnings; PG-IMPORT-INVALID is the error left when a repair is missing.
 */
import type { CodeInfo } from "../codes.js";

export const REPAIR_CODES = {
  "PG-IMPORT-NAME-FOLDED": {
    severity: "warning",
    summary:
      "A name outside the format's alphabet, or one that collides with another once folded, was changed to a unique legal name; references to it follow.",
  },
  "PG-IMPORT-STEP-SPLIT": { severity: "warning", summary: "A step that held both a command and a native block was split into two steps." },
  "PG-IMPORT-JOB-PLACEHOLDER": {
    severity: "warning",
    summary: "A job or step with nothing to run got a placeholder command that fails the run, saying what was not imported.",
  },
  "PG-IMPORT-NEEDS-DROPPED": {
    severity: "warning",
    summary: "A dependency on a stage or job that is not in the pipeline (or that closes a cycle) was dropped.",
  },
  "PG-IMPORT-CONSUME-DROPPED": { severity: "warning", summary: "A job consumed an artifact that no earlier job produces; the consume was dropped." },
  "PG-IMPORT-GATE-DROPPED": { severity: "warning", summary: "An approval or disabled transition on a stage that runs first (nothing to gate) was dropped." },
  "PG-IMPORT-SCHEDULE-DROPPED": { severity: "warning", summary: "A schedule whose cron expression is not five valid fields was dropped." },
  "PG-IMPORT-REFERENCE-DECLARED": {
    severity: "warning",
    summary: "A command referred to a variable or secret the source never declared; it was declared (empty default, no secret reference).",
  },
  "PG-IMPORT-VALUE-FIXED": {
    severity: "warning",
    summary: "A value outside the format's range (empty text, retries over 10, a bad expression) was dropped, clamped or escaped.",
  },
  "PG-IMPORT-SYNTAX": {
    severity: "error",
    summary: "A native file does not parse as YAML or JSON, and neither its name nor its text says which provider's format it is in.",
  },
  "PG-IMPORT-UNKNOWN-FORMAT": {
    severity: "error",
    summary: "No provider recognizes the files (or they are a pipeglot definition already); pass --from to choose one.",
  },
  "PG-IMPORT-INVALID": {
    severity: "error",
    summary: "The imported pipeline still breaks a rule of the format after repair (a bug in pipeglot's importer: please report it).",
  },
} as const satisfies Record<string, CodeInfo>;

export type RepairCode = keyof typeof REPAIR_CODES;
