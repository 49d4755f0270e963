import { stat } from "node:fs/promises";
import { relative } from "node:path";
import type { Argv } from "yargs";
import { auditFiles, auditMarkdown, writeFileAtomic, type NativeFile } from "@pipeglot/core";
import { PROVIDER_IDS } from "@pipeglot/schema";
import { CliError, EXIT, err, out, printJson, type Format } from "../io.js";
import type { Command } from "../main.js";
import { loadProviders } from "../registry.js";
import { nativeFilesIn } from "./native-files.js";

interface Args {
  dir: string;
  out?: string;
  format: Format;
}

const SKIP = new Set(["node_modules", ".git", "dist", "out", ".turbo"]);

export const auditCommand: Command<Args> = {
  command: "audit <dir>",
  describe: "Find native pipeline files under a folder, convert each to every provider, and report",
  builder: (y: Argv) =>
    y
      .positional("dir", { type: "string", demandOption: true })
      .option("out", { alias: "o", type: "string", describe: "Also write the Markdown report to this file" })
      .example("$0 audit .", "Audit a repository")
      .example("$0 audit ci/ --format json > audit.json", "Machine-readable") as unknown as Argv<Args>,
  async handler(args) {
    const s = await stat(args.dir).catch(() => undefined);
    if (!s?.isDirectory()) throw new CliError(`${args.dir} is not a folder`, EXIT.problems);
    const files: NativeFile[] = (await nativeFilesIn(args.dir, { skipDir: (name) => SKIP.has(name) || name.startsWith(".git"), maxBytes: 4 * 1024 * 1024 })).map((f) => ({
      ...f,
      path: relative(process.cwd(), f.path) || f.path,
    }));
    const providers = await loadProviders(PROVIDER_IDS);
    // Progress on a terminal only; quiet in pipes and CI logs.
    const tty = process.stderr.isTTY && args.format !== "json";
    const report = auditFiles(files, providers, {
      onFile: (done, total, f) => {
        if (tty) process.stderr.write(`\r\x1b[2Kaudit ${done}/${total} ${f.status.padEnd(11)} ${f.path}`.slice(0, (process.stderr.columns || 100) - 1) + (done === total ? "\n" : ""));
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
    return EXIT.ok;
  },
};
