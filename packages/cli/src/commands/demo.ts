import { readdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Argv } from "yargs";
import { behaviourChecks } from "./behaviour.js";
import { cliVersion } from "../version.js";
import { compare, compileAll, DEFAULT_WORKLOAD, loadPrices, renderReport } from "@pipeglot/compare";
import { writeFileAtomic, writeOutput } from "@pipeglot/core";
import { hasErrors, PROVIDER_IDS, validateFile } from "@pipeglot/schema";
import { EXIT, out, printDiagnostics, printJson, type Format } from "../io.js";
import type { Command } from "../main.js";
import { loadProviders } from "../registry.js";

interface Args {
  examples: string;
  flagship: string;
  out: string;
  format: Format;
}

/**
 * The examples shipped in this package (dist/examples, copied from the repository's examples/ by
 * scripts/bundle.mjs): the nearest examples/ above this module (it runs from dist/ or the bundle).
 */
function findExamples(): string {
  let dir = fileURLToPath(new URL(".", import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, "examples", "node-webapp", "pipeglot.yaml"))) return join(dir, "examples");
    dir = resolve(dir, "..");
  }
  return resolve("examples");
}
const DEFAULT_EXAMPLES = findExamples();

export const demoCommand: Command<Args> = {
  command: "demo",
  describe: "Compile the bundled flagship example for all four clouds into ./out and print the comparison (npm start)",
  builder: (y: Argv) =>
    y
      .option("examples", { type: "string", default: DEFAULT_EXAMPLES, describe: "Folder of examples (<name>/pipeglot.yaml)" })
      .option("flagship", { type: "string", default: "node-webapp", describe: "The example to compile and compare" })
      .option("out", { type: "string", default: "out", describe: "Where the compiled output goes" })
      .example("$0 demo", "What `npm start` runs") as unknown as Argv<Args>,
  async handler(args) {
    const names = existsSync(args.examples) ? (await readdir(args.examples)).filter((n) => existsSync(join(args.examples, n, "pipeglot.yaml"))).sort() : [];
    const checked = await Promise.all(names.map(async (n) => ({ name: n, r: await validateFile(join(args.examples, n, "pipeglot.yaml")) })));
    const file = join(args.examples, args.flagship, "pipeglot.yaml");
    const flagship = checked.find((c) => c.name === args.flagship)?.r ?? (await validateFile(file));
    if (!flagship.ir) {
      printDiagnostics(flagship.diagnostics, new Map([[file, flagship.text]]));
      return EXIT.problems;
    }
    const ir = flagship.ir;
    const providers = await loadProviders(PROVIDER_IDS);
    const pr = await loadPrices(undefined, providers);
    if (!pr.prices) {
      printDiagnostics(pr.diagnostics, new Map([[pr.file, pr.text]]));
      return EXIT.internal;
    }
    const rel = relative(process.cwd(), file) || file;
    // Compile once: the same files `pipeglot compile --target all --out <out>` writes feed the report.
    const outputs = compileAll(providers, ir, flagship.sourceMap);
    const dirs: Record<string, string> = {};
    for (const o of outputs) dirs[o.provider] = await writeOutput(args.out, o);
    const report = compare({
      ir,
      file: rel,
      sourceMap: flagship.sourceMap,
      providers,
      outputs,
      prices: pr.prices,
      pricesFile: "bundled prices.json",
      workload: DEFAULT_WORKLOAD,
      version: cliVersion(),
    });
    // The bundled example is ours, so its local run (record mode) fills the "behaves as defined" row.
    report.behaviour = await behaviourChecks(ir, outputs, dirname(file));
    const htmlPath = join(args.out, "compare.html");
    await writeFileAtomic(htmlPath, await renderReport(report, "html"));
    const invalid = checked.filter((c) => hasErrors(c.r.diagnostics));
    if (args.format === "json") {
      printJson({
        examples: checked.map((c) => ({ name: c.name, valid: !hasErrors(c.r.diagnostics) })),
        pipeline: ir.name,
        outputs: dirs,
        html: htmlPath,
        report: JSON.parse(await renderReport(report, "json")),
      });
      return invalid.length ? EXIT.problems : EXIT.ok;
    }
    out(
      `Bundled examples: ${checked.length - invalid.length} of ${checked.length} valid (${checked.map((c) => (hasErrors(c.r.diagnostics) ? `✗ ${c.name}` : c.name)).join(", ")})`,
    );
    out(`Compiled ${rel} for all four clouds:`);
    for (const p of providers) out(`  ${p.id.padEnd(6)} → ${relative(process.cwd(), dirs[p.id]!)}${sep}`);
    out("");
    out(await renderReport(report, "text"));
    out(`HTML report with each provider's run graph: ${relative(process.cwd(), htmlPath)}`);
    out(`Next: pipeglot compare ${rel} --format html --out report.html   (see --help for the workload options)`);
    return invalid.length ? EXIT.problems : EXIT.ok;
  },
};
