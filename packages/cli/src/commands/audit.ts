import { stat } from "node:fs/promises";
import { relative } from "node:path";
import type { Argv } from "yargs";
import { stringify } from "csv-stringify/sync";
import { auditCsvRows, auditFiles, auditMarkdown, writeFileAtomic, type AuditReport, type NativeFile, type UnreadFile } from "@pipeglot/core";
import { PROVIDER_IDS } from "@pipeglot/schema";
import { CliError, EXIT, err, out, printJson } from "../io.js";
import type { Command } from "../main.js";
import { loadProviders } from "../registry.js";
import { failOnOption, type FailOn } from "./fail-on.js";
import { nativeFilesIn } from "./native-files.js";
import { formatOption } from "../options.js";

type AuditFormat = "text" | "json" | "csv";

interface Args {
  dir: string;
  out?: string;
  format: AuditFormat;
  failOn?: FailOn;
}

const SKIP = new Set(["node_modules", ".git", "dist", "out", ".turbo"]);

export const auditCommand: Command<Args> = {
  command: "audit <dir>",
  describe: "Find the pipelines under a folder (native files, compile outputs, pipeglot definitions), convert each to every provider, and report",
  builder: (y: Argv) =>
    formatOption(
      failOnOption(y),
      ["text", "json", "csv"] as const,
      "text",
      "text: the Markdown report; json: everything; csv: one row per pipeline, for a spreadsheet",
    )
      .positional("dir", { type: "string", demandOption: true })
      .option("out", { alias: "o", type: "string", describe: "Also write the report to this file, in the --format chosen (text: Markdown)" })
      .example("$0 audit .", "Audit a repository")
      .example("$0 audit ci/ --format json > audit.json", "Machine-readable")
      .example("$0 audit . --format csv --out audit.csv", "One row per pipeline, for a spreadsheet")
      .example("$0 audit . --fail-on lost", "CI gate: fail when some provider would lose a feature")
      .epilogue(
        "Files that form one pipeline are reported once: a compile output folder (its manifest.json), a file and the templates, build specs or projects it names (by path, or by id or name). Exit codes: 0 the report was written (pipelines may be partial or unsupported); 1 some pipeline failed (it does not import or validate, or no provider can write it), or with --fail-on, some pipeline loses (or emulates) a feature on some provider; 2 a usage error.",
      ) as unknown as Argv<Args>,
  async handler(args) {
    const s = await stat(args.dir).catch(() => undefined);
    if (!s?.isDirectory()) throw new CliError(`${args.dir} is not a folder`, EXIT.problems);
    // A file over the size pipeglot reads is not read: it is Failed with its PG-INPUT-TOO-LARGE error, and the audit goes on.
    const found = await nativeFilesIn(args.dir, { skipDir: (name) => SKIP.has(name) || name.startsWith(".git") });
    const shown = (p: string) => relative(process.cwd(), p) || p;
    const files: (NativeFile | UnreadFile)[] = found.all.map((f) =>
      "problem" in f
        ? { path: shown(f.path), problem: { ...f.problem, file: shown(f.path), message: f.problem.message.replace(f.path, shown(f.path)) } }
        : { ...f, path: shown(f.path) },
    );
    const providers = await loadProviders(PROVIDER_IDS);
    // Progress on a terminal only; quiet in pipes and CI logs.
    const tty = process.stderr.isTTY && args.format === "text";
    const report = auditFiles(files, providers, {
      onPipeline: (done, total, p) => {
        if (tty)
          process.stderr.write(
            `\r\x1b[2Kaudit ${done}/${total} ${p.status.padEnd(11)} ${p.path}`.slice(0, (process.stderr.columns || 100) - 1) + (done === total ? "\n" : ""),
          );
      },
    });
    const text = reportText(report, args.format);
    if (args.out) await writeFileAtomic(args.out, text);
    if (args.format === "json") printJson(report);
    else out(text);
    if (args.out) err(`Report written to ${args.out}`);
    const gated = args.failOn ? report.pipelines.filter((f) => f.lost.length || (args.failOn === "emulated" && f.emulated.length)) : [];
    if (report.totals.failed) err(`${report.totals.failed} pipeline${report.totals.failed === 1 ? "" : "s"} failed`);
    if (gated.length) {
      const one = gated.length === 1;
      const verb = args.failOn === "lost" ? (one ? "loses" : "lose") : one ? "loses or emulates" : "lose or emulate";
      err(`--fail-on ${args.failOn}: ${gated.length} pipeline${one ? "" : "s"} ${verb} a feature on some provider`);
    }
    return report.totals.failed || gated.length ? EXIT.problems : EXIT.ok;
  },
};

function reportText(report: AuditReport, format: AuditFormat): string {
  if (format === "json") return JSON.stringify(report, null, 2) + "\n";
  if (format === "csv") return stringify(auditCsvRows(report), { record_delimiter: "unix" });
  return auditMarkdown(report);
}
