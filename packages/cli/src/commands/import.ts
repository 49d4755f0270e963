import type { Argv } from "yargs";
import { importPipeline, writeFileAtomic } from "@pipeglot/core";
import { hasErrors, PROVIDER_IDS, type Diagnostic, type ProviderId } from "@pipeglot/schema";
import { EXIT, err, out, printDiagnostics, printJson, summaryLine, type Format } from "../io.js";
import type { Command } from "../main.js";
import { definitionText } from "./shared.js";
import { nativeInput } from "./native-files.js";
import { diagnosticsFilterOptions, shownDiagnostics, type DiagnosticsFilterArgs } from "../options.js";

interface Args extends DiagnosticsFilterArgs {
  files: string[];
  from?: ProviderId;
  out?: string;
  templateRoot: string[];
  format: Format;
}

export const importCommand: Command<Args> = {
  command: "import <files..>",
  describe: "Read native pipeline files (AWS, Azure, Cloud Build, OCI) into a pipeglot definition",
  builder: (y: Argv) =>
    diagnosticsFilterOptions(y)
      .positional("files", {
        type: "string",
        array: true,
        demandOption: true,
        describe: "Native files, or folders of them (one pipeline); - reads standard input",
      })
      .option("from", { choices: PROVIDER_IDS, describe: "The files' provider (default: detected)" })
      .option("out", { alias: "o", type: "string", describe: "Write the definition here (default: print it)" })
      .option("template-root", {
        type: "string",
        array: true,
        default: [] as string[],
        describe: "Azure: NAME=DIR for templates in repository NAME (file@NAME)",
      })
      .example("$0 import azure-pipelines.yml --out pipeglot.yaml", "Azure Pipelines YAML, templates resolved")
      .example("$0 import pipeline.json projects.json --from aws", "get-pipeline + batch-get-projects JSON") as unknown as Argv<Args>,
  async handler(args) {
    const { files, provider, options, tooLarge } = await nativeInput(args);
    const result = importPipeline(provider, files, options);
    const sources = new Map(files.map((f) => [f.path, f.content]));
    // A template or build spec over the size pipeglot reads was not read: the pipeline is incomplete, nothing is written.
    const diagnostics: Diagnostic[] = [...result.diagnostics, ...tooLarge];
    const pipeline = tooLarge.length ? undefined : result.pipeline;
    const yamlText = pipeline
      ? definitionText(pipeline, `Imported by pipeglot from ${provider.displayName}: ${files.map((f) => f.path).join(", ")}`)
      : undefined;
    if (yamlText !== undefined && args.out) {
      await writeFileAtomic(args.out, yamlText, { inputs: files.map((f) => f.path) });
    }
    if (args.format === "json") {
      printJson({ provider: provider.id, files: files.map((f) => f.path), ...(args.out ? { out: args.out } : { definition: yamlText ?? null }), diagnostics });
    } else {
      printDiagnostics(shownDiagnostics(diagnostics, args), sources);
      if (yamlText !== undefined && !args.out) out(yamlText);
      if (!args.quiet)
        err(
          `${provider.id}: imported ${files.length} file${files.length === 1 ? "" : "s"}${args.out && yamlText !== undefined ? ` → ${args.out}` : ""}; ${summaryLine(diagnostics)}`,
        );
    }
    return hasErrors(diagnostics) || !pipeline ? EXIT.problems : EXIT.ok;
  },
};
