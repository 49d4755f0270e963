import type { Argv } from "yargs";
import { hasErrors, validateFile, type Diagnostic } from "@pipeglot/schema";
import { EXIT, err, out, printDiagnostics, printJson, summaryLine, type Format } from "../io.js";
import type { Command } from "../main.js";

interface Args {
  files: string[];
  format: Format;
}

export const validateCommand: Command<Args> = {
  command: "validate <files..>",
  describe: "Check pipeline definitions: schema, references, DAGs, names",
  builder: (y: Argv) =>
    y
      .positional("files", { type: "string", array: true, demandOption: true, describe: "pipeglot.yaml files" })
      .example("$0 validate pipeglot.yaml", "Check one definition")
      .example("$0 validate examples/*/pipeglot.yaml --format json", "Check many, machine-readable") as unknown as Argv<Args>,
  async handler(args) {
    const results = await Promise.all(args.files.map((f) => validateFile(f)));
    const all: Diagnostic[] = results.flatMap((r) => r.diagnostics);
    if (args.format === "json") {
      printJson({
        files: results.map((r, i) => ({ file: args.files[i], valid: !hasErrors(r.diagnostics), diagnostics: r.diagnostics })),
        summary: { files: results.length, errors: all.filter((d) => d.severity === "error").length, warnings: all.filter((d) => d.severity === "warning").length },
      });
    } else {
      printDiagnostics(all, new Map(results.map((r, i) => [args.files[i]!, r.text])));
      const bad = results.filter((r) => hasErrors(r.diagnostics)).length;
      const line = `${results.length} file${results.length === 1 ? "" : "s"} checked, ${bad} invalid: ${summaryLine(all)}`;
      if (bad) err(line);
      else out(results.length === 1 ? `${args.files[0]}: valid (${summaryLine(all)})` : line);
    }
    return hasErrors(all) ? EXIT.problems : EXIT.ok;
  },
};
