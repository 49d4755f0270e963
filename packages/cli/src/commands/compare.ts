import type { Argv } from "yargs";
import {
  compare,
  compileAll,
  loadPrices,
  parseJobMinutes,
  renderReport,
  reportDate,
  unknownJobs,
  DEFAULT_WORKLOAD,
  type ReportFormat,
} from "@pipeglot/compare";
import { writeFileAtomic } from "@pipeglot/core";
import { PROVIDER_IDS } from "@pipeglot/schema";
import { CliError, EXIT, out, printDiagnostics, printJson } from "../io.js";
import type { Command } from "../main.js";
import { formatOption } from "../options.js";
import { loadProviders, parseTargets } from "../registry.js";
import { loadIR } from "./shared.js";
import { behaviourChecks } from "./behaviour.js";
import { cliVersion } from "../version.js";
import { dirname, resolve } from "node:path";

interface Args {
  file: string;
  format: ReportFormat;
  target: string;
  "runs-per-month": number;
  "job-minutes": string[];
  prices?: string;
  out?: string;
  "local-run": boolean;
  date?: string;
}

export const compareCommand: Command<Args> = {
  command: "compare <file>",
  describe: "Compare the providers for one pipeline: features (native/emulated/lossy), files, run graphs and a monthly cost estimate",
  builder: (y: Argv) =>
    formatOption(
      y.positional("file", { type: "string", demandOption: true, describe: "pipeglot.yaml (- reads standard input)" }),
      ["text", "json", "markdown", "html"] as const,
      "text",
      "text (a table), json, markdown, or html (one self-contained page)",
    )
      .option("target", { type: "string", default: "all", describe: "Providers to compare: all, or a comma-separated list of aws, azure, gcp, oci" })
      .option("runs-per-month", { type: "number", default: DEFAULT_WORKLOAD.runsPerMonth, describe: "Pipeline runs a month (for the cost estimate)" })
      .option("job-minutes", {
        type: "string",
        array: true,
        default: [] as string[],
        describe: `Minutes each job runs (default ${DEFAULT_WORKLOAD.jobMinutes}); <stage>.<job>=N for one job, repeatable`,
      })
      .option("prices", { type: "string", describe: "A price file (JSON or YAML) replacing the bundled one" })
      .option("date", {
        type: "string",
        describe: "The generation date the header shows (YYYY-MM-DD); default: the day of SOURCE_DATE_EPOCH when set, else today (UTC)",
      })
      .option("out", { type: "string", describe: "Write the report to this file (atomically) instead of standard output" })
      .option("local-run", {
        type: "boolean",
        default: false,
        describe:
          "Add the row 'behaves as defined (local run)': run the definition and each compiled output on this machine in record mode (see pipeglot run --local). Plain file tools and redirections in its commands do run: only for a definition you trust",
      })
      .example("$0 compare pipeglot.yaml", "Terminal table")
      .example("$0 compare pipeglot.yaml --format html --out compare.html", "One self-contained page with the run graphs")
      .example(
        "$0 compare pipeglot.yaml --runs-per-month 600 --job-minutes 8 --job-minutes build.test=15",
        "Cost for a stated workload",
      ) as unknown as Argv<Args>,
  async handler(args) {
    const targets = parseTargets(args.target);
    const bad = targets.filter((t) => !PROVIDER_IDS.includes(t));
    if (!targets.length || bad.length) throw new CliError(`--target ${JSON.stringify(args.target)}: expected all or a list of ${PROVIDER_IDS.join(", ")}`);
    const runs = args["runs-per-month"];
    if (!Number.isFinite(runs) || runs < 0) throw new CliError(`--runs-per-month ${JSON.stringify(String(runs))}: expected a number of runs, 0 or more`);
    const date = reportDate(args.date, process.env);
    if (date.error) throw new CliError(date.error);
    const parsed = parseJobMinutes(args["job-minutes"].map(String), { ...DEFAULT_WORKLOAD, runsPerMonth: runs });
    if (parsed.errors.length) throw new CliError(parsed.errors.join("\n"));
    const { ir, sourceMap } = await loadIR(args.file, args.format === "json" ? "json" : "text");
    const unknown = unknownJobs(ir, parsed.workload);
    if (unknown.length) {
      const ids = ir.stages.flatMap((s) => s.jobs.map((j) => j.id));
      throw new CliError(`--job-minutes names ${unknown.map((u) => JSON.stringify(u)).join(", ")}, not a job of ${ir.name}; jobs are: ${ids.join(", ")}`);
    }
    // The price file has a section for every provider, whichever are compared.
    const pr = await loadPrices(args.prices, await loadProviders(PROVIDER_IDS));
    if (!pr.prices) {
      if (args.format === "json") printJson({ file: pr.file, valid: false, diagnostics: pr.diagnostics });
      else printDiagnostics(pr.diagnostics, new Map([[pr.file, pr.text]]));
      throw new CliError(`${pr.file} is not a valid price file`, EXIT.problems);
    }
    const providers = await loadProviders(targets);
    const outputs = compileAll(providers, ir, sourceMap);
    const report = compare({
      ir,
      file: args.file,
      sourceMap,
      providers,
      outputs,
      prices: pr.prices,
      pricesFile: args.prices ?? "bundled prices.json",
      workload: parsed.workload,
      date: date.date!,
      version: cliVersion(),
    });
    if (args["local-run"]) report.behaviour = await behaviourChecks(ir, outputs, resolve(dirname(args.file)));
    const text = await renderReport(report, args.format);
    if (args.out) out(`compare report (${args.format}) written to ${await writeFileAtomic(args.out, text, { inputs: [args.file] })}`);
    else process.stdout.write(text);
    return EXIT.ok;
  },
};
