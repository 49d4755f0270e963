import type { Argv } from "yargs";
import { hasErrors, type Diagnostic } from "@pipeglot/schema";
import { githubAnnotations, sarifLog } from "../annotations.js";
import { CliError, EXIT, err, out, printDiagnostics, printJson, summaryLine } from "../io.js";
import type { Command } from "../main.js";
import { diagnosticsFilterOptions, formatOption, shownDiagnostics, type DiagnosticsFilterArgs } from "../options.js";
import { validateInput } from "./shared.js";

type ValidateFormat = "text" | "json" | "github" | "sarif";
interface Args extends DiagnosticsFilterArgs {
  files: string[];
  format: ValidateFormat;
}

const FORMATS: readonly ValidateFormat[] = ["text", "json", "github", "sarif"];

export const validateCommand: Command<Args> = {
  command: "validate <files..>",
  describe: "Check pipeline definitions: schema, references, DAGs, names",
  builder: (y: Argv) =>
    diagnosticsFilterOptions(formatOption(y, FORMATS, "text", "text, json, github (workflow-command annotations) or sarif (SARIF 2.1.0)"))
      .positional("files", { type: "string", array: true, demandOption: true, describe: "pipeglot.yaml files (- reads standard input)" })
      .example("$0 validate pipeglot.yaml", "Check one definition")
      .example("$0 validate examples/*/pipeglot.yaml --format json", "Check many, machine-readable")
      .example("$0 validate pipeglot.yaml --format github", "Annotations on a GitHub pull request")
      .example("cat pipeglot.yaml | $0 validate -", "Check standard input") as unknown as Argv<Args>,
  async handler(args) {
    if (!args.files.length) throw new CliError("no file to validate", EXIT.usage);
    const results = await Promise.all(args.files.map((f) => validateInput(f)));
    const all: Diagnostic[] = results.flatMap((r) => r.diagnostics);
    const shown = shownDiagnostics(all, args);
    const names = results.map((r) => r.name);
    if (args.format === "json") {
      printJson({
        files: results.map((r) => ({ file: r.name, valid: !hasErrors(r.diagnostics), diagnostics: shownDiagnostics(r.diagnostics, args) })),
        summary: {
          files: results.length,
          errors: all.filter((d) => d.severity === "error").length,
          warnings: all.filter((d) => d.severity === "warning").length,
        },
      });
    } else if (args.format === "sarif") printJson(sarifLog(shown, names));
    else if (args.format === "github") {
      for (const line of githubAnnotations(shown)) out(line);
      if (!args.quiet) err(summaryText(results, all));
    } else {
      printDiagnostics(shown, new Map(results.map((r) => [r.name, r.text])));
      const bad = results.filter((r) => hasErrors(r.diagnostics)).length;
      if (bad) err(summaryText(results, all));
      else if (!args.quiet) out(results.length === 1 ? `${names[0]}: valid (${summaryLine(all)})` : summaryText(results, all));
    }
    return hasErrors(all) ? EXIT.problems : EXIT.ok;
  },
};

function summaryText(results: readonly { diagnostics: Diagnostic[] }[], all: readonly Diagnostic[]): string {
  const bad = results.filter((r) => hasErrors(r.diagnostics)).length;
  return `${results.length} file${results.length === 1 ? "" : "s"} checked, ${bad} invalid: ${summaryLine(all)}`;
}
