import type { Argv } from "yargs";
import { renderGraph } from "@pipeglot/core";
import { out, printJson, EXIT } from "../io.js";
import type { Command } from "../main.js";
import { loadIR } from "./shared.js";
import { formatOption } from "../options.js";

interface Args {
  file: string;
  format: "text" | "json" | "mermaid" | "dot";
}

export const graphCommand: Command<Args> = {
  command: "graph <file>",
  describe: "Print the pipeline's stage and job graph (Mermaid or Graphviz DOT)",
  builder: (y: Argv) =>
    formatOption(
      y.positional("file", { type: "string", demandOption: true }),
      ["mermaid", "dot", "json", "text"] as const,
      "mermaid",
      "mermaid (text), dot, or json (both)",
    )
      .example("$0 graph pipeglot.yaml", "Mermaid flowchart (paste into Markdown)")
      .example("$0 graph pipeglot.yaml --format dot | dot -Tsvg > graph.svg", "Graphviz") as unknown as Argv<Args>,
  async handler(args) {
    const { ir } = await loadIR(args.file, args.format === "json" ? "json" : "text");
    if (args.format === "json") printJson({ pipeline: ir.name, mermaid: renderGraph(ir, "mermaid"), dot: renderGraph(ir, "dot") });
    else out(renderGraph(ir, args.format === "dot" ? "dot" : "mermaid"));
    return EXIT.ok;
  },
};
