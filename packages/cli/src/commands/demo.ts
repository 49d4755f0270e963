import { readdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Argv } from "yargs";
import { FEATURES, locateDiagnostics, renderGraph, usedFeatures, writeOutput, type Capability } from "@pipeglot/core";
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

/** The repository's examples/ folder: the nearest one above this module (it runs from dist/ or a bundle). */
function findExamples(): string {
  let dir = fileURLToPath(new URL(".", import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, "examples", "node-webapp", "pipeglot.yaml"))) return join(dir, "examples");
    dir = resolve(dir, "..");
  }
  return resolve("examples");
}
const DEFAULT_EXAMPLES = findExamples();
const MARK: Record<Capability["support"], string> = { native: "native", emulated: "emulated", lossy: "LOSSY" };

export const demoCommand: Command<Args> = {
  command: "demo",
  describe: "Validate the bundled examples, compile the flagship for all four clouds and compare them (npm start)",
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
    const outputs = providers.map((p) => ({ p, o: p.compile(ir) }));
    const dirs: Record<string, string> = {};
    for (const { o } of outputs) dirs[o.provider] = await writeOutput(args.out, { ...o, diagnostics: locateDiagnostics(o.diagnostics, flagship.sourceMap) });
    const used = usedFeatures(ir);
    const cell = (caps: readonly Capability[], f: string) => {
      const c = caps.find((x) => x.feature === f);
      return c ? MARK[c.support] : "?";
    };
    if (args.format === "json") {
      printJson({
        examples: checked.map((c) => ({ name: c.name, valid: !hasErrors(c.r.diagnostics), diagnostics: c.r.diagnostics })),
        pipeline: ir.name,
        outputs: Object.fromEntries(outputs.map(({ p, o }) => [p.id, { dir: dirs[p.id], files: o.files.length, diagnostics: o.diagnostics.length }])),
        features: used.map((u) => ({ feature: u.feature, ...Object.fromEntries(outputs.map(({ p }) => [p.id, cell(p.capabilities, u.feature)])) })),
      });
      return checked.some((c) => hasErrors(c.r.diagnostics)) ? EXIT.problems : EXIT.ok;
    }
    out(`Examples (${relative(process.cwd(), args.examples) || "."}):`);
    for (const c of checked) out(`  ${hasErrors(c.r.diagnostics) ? "✗" : "✓"} ${c.name}`);
    out(`\nGraph of ${ir.name} (Mermaid):\n`);
    out(renderGraph(ir, "mermaid"));
    out(`Compiled ${ir.name} for all four clouds:`);
    for (const { p, o } of outputs) {
      const w = o.diagnostics.filter((d) => d.severity === "warning").length;
      out(`  ${p.displayName.padEnd(Math.max(...providers.map((x) => x.displayName.length)))} ${String(o.files.length).padStart(3)} files  ${String(w).padStart(3)} warnings  → ${relative(process.cwd(), dirs[p.id]!)}`);
    }
    const rows = [["feature used", ...providers.map((p) => p.id)], ...used.map((u) => [FEATURES[u.feature], ...providers.map((p) => cell(p.capabilities, u.feature))])];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    out("\nHow each cloud expresses what this pipeline uses:\n");
    rows.forEach((r, i) => {
      out("  " + r.map((c, k) => c.padEnd(widths[k]!)).join("  "));
      if (i === 0) out("  " + widths.map((w) => "-".repeat(w)).join("  "));
    });
    out("\nEvery emulated or lossy mapping is a diagnostic in <out>/<provider>/manifest.json.");
    return checked.some((c) => hasErrors(c.r.diagnostics)) ? EXIT.problems : EXIT.ok;
  },
};
