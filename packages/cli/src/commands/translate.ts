import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Argv } from "yargs";
import {
  checkFileTarget,
  checkFolderTarget,
  manifestOf,
  translate,
  translateNeutral,
  writeFileAtomic,
  writeOutput,
  type LossRow,
  type TranslateResult,
  type TranslateTarget,
} from "@pipeglot/core";
import { hasErrors, PROVIDER_IDS, type Diagnostic, type ProviderId } from "@pipeglot/schema";
import { EXIT, err, out, printDiagnostics, printJson, type Format } from "../io.js";
import type { Command } from "../main.js";
import { checkTargets, loadProviders, parseTargets, TARGET_CHOICES } from "../registry.js";
import { failOnOption, gateRows, type FailOn } from "./fail-on.js";
import { nativeInput } from "./native-files.js";
import { diagnosticsFilterOptions, shownDiagnostics, type DiagnosticsFilterArgs } from "../options.js";

interface Args extends DiagnosticsFilterArgs {
  files: string[];
  from?: ProviderId;
  to: string;
  out: string;
  format: Format;
  templateRoot: string[];
  failOn?: FailOn;
}

const MARK: Record<LossRow["support"], string> = { native: "native", emulated: "emulated", lossy: "LOST", unknown: "?" };

function lossReportMarkdown(from: string, files: string[], targets: TranslateTarget[]): string {
  const lines = [`# Translation report`, "", `Source: ${files.join(", ")} (${from})`, ""];
  for (const t of targets) {
    lines.push(`## ${t.provider}`, "", "| feature | result | how | code | source |", "|---|---|---|---|---|");
    for (const l of t.losses)
      lines.push(`| ${l.title} | ${MARK[l.support]} | ${l.how.replace(/\|/g, "\\|")} | ${l.code ?? ""} | ${l.file ? `${l.file}:${l.line}:${l.column}` : ""} |`);
    lines.push("");
  }
  return lines.join("\n");
}

export const translateCommand: Command<Args> = {
  command: "translate <files..>",
  describe: "Translate native pipeline files to other providers, with a loss report",
  builder: (y: Argv) =>
    diagnosticsFilterOptions(failOnOption(y))
      .positional("files", {
        type: "string",
        array: true,
        demandOption: true,
        describe: "Native files, or a folder of them (one pipeline), or a pipeglot definition; - reads standard input",
      })
      .option("from", { choices: PROVIDER_IDS, describe: "The files' provider (default: detected; a pipeglot definition is read as it is)" })
      .option("to", { type: "string", default: "all", describe: `Target provider(s): ${TARGET_CHOICES.join(", ")}` })
      .option("out", { alias: "o", type: "string", default: "out", describe: "Output folder: <out>/<provider>/ and <out>/translation-report.{md,json}" })
      .option("template-root", { type: "string", array: true, default: [] as string[], describe: "Azure: NAME=DIR for templates in repository NAME" })
      .check((a) => checkTargets(String(a.to)))
      .epilogue(
        "Exit codes: 0 every requested target was written (features may be emulated or lost: see the report); 1 the input has errors, or a target could not be written (its compile errors are printed; the other targets are still written); with --fail-on, also 1 when a feature is lost (or emulated); 2 a usage error.",
      )
      .example("$0 translate azure-pipelines.yml --to gcp", "Azure Pipelines → Cloud Build, with what is lost")
      .example("$0 translate cloudbuild.yaml --to all --format json", "Every provider, machine-readable")
      .example("$0 translate pipeglot.yaml --to aws,oci", "A pipeglot definition: what each provider writes and loses")
      .example("$0 translate azure-pipelines.yml --to aws --fail-on lost", "CI gate: fail when the AWS translation loses a feature") as unknown as Argv<Args>,
  async handler(args) {
    const input = await nativeInput(args, "translate");
    const to = await loadProviders(parseTargets(args.to));
    // A pipeglot definition is translated as compile reads it (validated, not imported).
    const { files, tooLarge } = "neutral" in input ? { files: [input.neutral], tooLarge: [] } : input;
    const translated = "neutral" in input ? translateNeutral(input.neutral, to) : translate(input.files, input.provider, to, input.options);
    // A template or build spec over the size pipeglot reads was not read: nothing is compiled into files.
    const r: TranslateResult = tooLarge.length
      ? { from: translated.from, importDiagnostics: [...translated.importDiagnostics, ...tooLarge], targets: [] }
      : translated;
    const sources = new Map(files.map((f) => [f.path, f.content]));
    // A target whose compile reports errors would hold output its cloud rejects: it is not written.
    const written = r.targets.filter((t) => !hasErrors(t.output.diagnostics));
    const unwritten = r.targets.filter((t) => hasErrors(t.output.diagnostics));
    const gate = gateRows(
      written.flatMap((t) => t.losses),
      args.failOn,
    );
    const json = {
      from: r.from,
      files: files.map((f) => f.path),
      importDiagnostics: r.importDiagnostics,
      targets: Object.fromEntries(
        r.targets.map((t) => [t.provider, { written: !hasErrors(t.output.diagnostics), manifest: manifestOf(t.output), losses: t.losses }]),
      ),
    };
    if (r.pipeline) {
      const guard = { inputs: files.map((f) => f.path) };
      for (const t of written) await checkFolderTarget(join(args.out, t.provider), guard);
      for (const name of ["translation-report.md", "translation-report.json"]) await checkFileTarget(join(args.out, name), guard);
      await mkdir(args.out, { recursive: true });
      for (const t of written) await writeOutput(args.out, t.output, t.output.diagnostics, guard);
      const md = lossReportMarkdown(r.from, json.files, r.targets);
      for (const [name, text] of [
        ["translation-report.md", md],
        ["translation-report.json", JSON.stringify(json, null, 2) + "\n"],
      ] as const) {
        await writeFileAtomic(join(args.out, name), text);
      }
    }
    if (args.format === "json") printJson(json);
    else printTranslation(shownDiagnostics(r.importDiagnostics, args), r.pipeline ? r.targets : [], sources, args.out);
    for (const t of unwritten) err(`${t.provider}: not written — its compile reported errors (above)`);
    if (gate.length)
      err(`--fail-on ${args.failOn}: ${gate.length} feature${gate.length === 1 ? "" : "s"} ${args.failOn === "lost" ? "lost" : "lost or emulated"}`);
    return !r.pipeline || hasErrors(r.importDiagnostics) || unwritten.length || gate.length ? EXIT.problems : EXIT.ok;
  },
};

function printTranslation(importDiagnostics: Diagnostic[], targets: TranslateTarget[], sources: Map<string, string>, outDir: string): void {
  printDiagnostics(importDiagnostics, sources);
  for (const t of targets) {
    const errors = t.output.diagnostics.filter((d) => d.severity === "error");
    if (errors.length) {
      printDiagnostics(errors, sources);
      continue;
    }
    out(`\n${t.provider} → ${join(outDir, t.provider)} (${t.output.files.length} files)`);
    for (const l of t.losses)
      out(`  ${MARK[l.support].padEnd(8)} ${l.title}${l.support !== "native" ? ` — ${l.how}` : ""}${l.file ? `  (${l.file}:${l.line}:${l.column})` : ""}`);
  }
  if (targets.length) out(`\nLoss report: ${join(outDir, "translation-report.md")}`);
}
