import { stat } from "node:fs/promises";
import { relative } from "node:path";
import type { Argv } from "yargs";
import { auditFiles, auditMarkdown, writeFileAtomic, type NativeFile, type UnreadFile } from "@pipeglot/core";
import { PROVIDER_IDS } from "@pipeglot/schema";
import { CliError, EXIT, err, out, printJson, type Format } from "../io.js";
import type { Command } from "../main.js";
import { loadProviders } from "../registry.js";
import { failOnOption, type FailOn } from "./fail-on.js";
import { nativeFilesIn } from "./native-files.js";

interface Args {
  dir: string;
  out?: string;
  format: Format;
  failOn?: FailOn;
}

const SKIP = new Set(["node_modules", ".git", "dist", "out", ".turbo"]);

export const auditCommand: Command<Args> = {
  command: "audit <dir>",
  describe: "Find native pipeline files under a folder, convert each to every provider, and report",
  builder: (y: Argv) =>
    failOnOption(y)
      .positional("dir", { type: "string", demandOption: true })
      .option("out", { alias: "o", type: "string", describe: "Also write the Markdown report to this file" })
      .example("$0 audit .", "Audit a repository")
      .example("$0 audit ci/ --format json > audit.json", "Machine-readable")
      .example("$0 audit . --fail-on lost", "CI gate: fail when some provider would lose a feature")
      .epilogue(
        "Exit codes: 0 the report was written (files may be partial or unsupported); 1 some file failed (its import or some provider's compile reported errors), or with --fail-on, some file's pipeline loses (or emulates) a feature on some provider; 2 a usage error.",
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
    const tty = process.stderr.isTTY && args.format !== "json";
    const report = auditFiles(files, providers, {
      onFile: (done, total, f) => {
        if (tty)
          process.stderr.write(
            `\r\x1b[2Kaudit ${done}/${total} ${f.status.padEnd(11)} ${f.path}`.slice(0, (process.stderr.columns || 100) - 1) + (done === total ? "\n" : ""),
          );
      },
    });
    const md = auditMarkdown(report);
    if (args.out) {
      await writeFileAtomic(args.out, md);
    }
    if (args.format === "json") printJson(report);
    else {
      out(md);
      if (args.out) err(`Report written to ${args.out}`);
    }
    const gated = args.failOn ? report.files.filter((f) => f.lost.length || (args.failOn === "emulated" && f.emulated.length)) : [];
    if (report.totals.failed) err(`${report.totals.failed} file${report.totals.failed === 1 ? "" : "s"} failed`);
    if (gated.length)
      err(
        `--fail-on ${args.failOn}: ${gated.length} file${gated.length === 1 ? "" : "s"} ${args.failOn === "lost" ? "lose" : "lose or emulate"} a feature on some provider`,
      );
    return report.totals.failed || gated.length ? EXIT.problems : EXIT.ok;
  },
};
