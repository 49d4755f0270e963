import type { Argv } from "yargs";
import { join } from "node:path";
import { checkFolderTarget, locateDiagnostics, manifestOf, writeOutput, type ProviderOutput } from "@pipeglot/core";
import { hasErrors, sortDiagnostics, type ProviderId } from "@pipeglot/schema";
import { EXIT, err, out, printDiagnostics, printJson, summaryLine, type Format } from "../io.js";
import type { Command } from "../main.js";
import { checkTargets, loadProviders, parseTargets, TARGET_CHOICES } from "../registry.js";
import { loadIR } from "./shared.js";
import { staleFiles } from "./compile-check.js";
import { diagnosticsFilterOptions, shownDiagnostics, type DiagnosticsFilterArgs } from "../options.js";

interface Args extends DiagnosticsFilterArgs {
  file: string;
  target: string;
  out: string;
  format: Format;
  dryRun: boolean;
  check: boolean;
}

export const compileCommand: Command<Args> = {
  command: "compile <file>",
  describe: "Compile a definition to native pipelines (files + API resources + manifest.json)",
  builder: (y: Argv) =>
    diagnosticsFilterOptions(y)
      .positional("file", { type: "string", demandOption: true, describe: "The definition (- reads standard input)" })
      .option("target", { alias: "t", type: "string", default: "all", describe: `Provider(s): ${TARGET_CHOICES.join(", ")} (comma-separated)` })
      .option("out", { alias: "o", type: "string", default: "out", describe: "Output folder; each provider writes <out>/<provider>/" })
      .option("dry-run", { type: "boolean", default: false, describe: "Compile and report, write nothing" })
      .option("check", {
        type: "boolean",
        default: false,
        describe: "Write nothing; exit 1 naming each file of the output folder that is stale, missing or no longer generated",
      })
      .check((a) => {
        if (a.check && a["dry-run"]) throw new Error("--check already writes nothing: drop --dry-run");
        return true;
      })
      .check((a) => checkTargets(String(a.target)))
      .example("$0 compile pipeglot.yaml --target aws --out build", "Write build/aws/manifest.json and the files it lists")
      .example("$0 compile pipeglot.yaml --target all --format json", "Every provider; print manifests as JSON")
      .example("$0 compile pipeglot.yaml --out generated --check", "CI: fail when the committed generated files are stale") as unknown as Argv<Args>,
  async handler(args) {
    const { ir, sourceMap, text } = await loadIR(args.file, args.format);
    const ids = parseTargets(args.target);
    const providers = await loadProviders(ids);
    // Compile everything before writing anything: a failure leaves no half-written output.
    const results: { id: ProviderId; output: ProviderOutput }[] = providers.map((p) => {
      const output = p.compile(ir);
      return { id: p.id, output: { ...output, diagnostics: sortDiagnostics(locateDiagnostics(output.diagnostics, sourceMap)) } };
    });
    if (args.check) return checkOutput(args, results, text);
    const written: Record<string, string> = {};
    if (!args.dryRun) {
      // Every folder is checked before any is written: a refusal leaves nothing half-written.
      const guard = { inputs: [args.file] };
      for (const r of results) await checkFolderTarget(join(args.out, r.id), guard);
      for (const r of results) written[r.id] = await writeOutput(args.out, r.output, r.output.diagnostics, guard);
    }
    const all = results.flatMap((r) => r.output.diagnostics);
    if (args.format === "json") {
      printJson({
        pipeline: ir.name,
        outputs: Object.fromEntries(results.map((r) => [r.id, { ...manifestOf(r.output), ...(written[r.id] ? { dir: written[r.id] } : {}) }])),
      });
    } else {
      printDiagnostics(shownDiagnostics(all, args), new Map([[args.file, text]]));
      if (!args.quiet)
        for (const r of results)
          out(
            `${r.id}: ${r.output.files.length} file${r.output.files.length === 1 ? "" : "s"}${written[r.id] ? ` → ${written[r.id]}` : " (dry run)"}; ${summaryLine(r.output.diagnostics)}`,
          );
    }
    return hasErrors(all) ? EXIT.problems : EXIT.ok;
  },
};

/** --check: compare, print what is stale (stdout, one file a line), write nothing. */
async function checkOutput(args: Args, results: readonly { id: ProviderId; output: ProviderOutput }[], text: string): Promise<number> {
  const all = results.flatMap((r) => r.output.diagnostics);
  if (hasErrors(all)) {
    printDiagnostics(shownDiagnostics(all, args), new Map([[args.file, text]]));
    return EXIT.problems;
  }
  const stale = (await Promise.all(results.map((r) => staleFiles(args.out, r.output)))).flat();
  if (args.format === "json") printJson({ upToDate: stale.length === 0, stale });
  else {
    for (const s of stale) out(`${s.path}: ${s.why}`);
    if (stale.length)
      err(
        `${stale.length} generated file${stale.length === 1 ? " is" : "s are"} not up to date: run pipeglot compile ${args.file} --target ${args.target} --out ${args.out}`,
      );
    else if (!args.quiet) out(`${args.out}: up to date (${results.map((r) => r.id).join(", ")})`);
  }
  return stale.length ? EXIT.problems : EXIT.ok;
}
