import { readdir, stat, readFile, writeFile, rename } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Argv } from "yargs";
import { auditFiles, auditMarkdown, type NativeFile } from "@pipeglot/core";
import { PROVIDER_IDS } from "@pipeglot/schema";
import { CliError, EXIT, err, out, printJson, type Format } from "../io.js";
import type { Command } from "../main.js";
import { loadProviders } from "../registry.js";

interface Args {
  dir: string;
  out?: string;
  format: Format;
}

const SKIP = new Set(["node_modules", ".git", "dist", "out", ".turbo"]);

async function walk(dir: string, root: string, acc: NativeFile[]): Promise<void> {
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP.has(e.name) && !e.name.startsWith(".git")) await walk(p, root, acc);
    } else if (/\.(ya?ml|json)$/i.test(e.name)) {
      const buf = await readFile(p);
      if (buf.length > 4 * 1024 * 1024 || buf.includes(0)) continue;
      acc.push({ path: relative(process.cwd(), p) || p, content: buf.toString("utf8") });
    }
  }
}

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
    const files: NativeFile[] = [];
    await walk(args.dir, args.dir, files);
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
      const tmp = `${args.out}.tmp-${process.pid}`;
      await writeFile(tmp, md);
      await rename(tmp, args.out);
    }
    if (args.format === "json") printJson(report);
    else {
      out(md);
      if (args.out) err(`Report written to ${args.out}`);
    }
    return EXIT.ok;
  },
};
