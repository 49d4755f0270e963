/**
 * The neutral pipeline's graph as Mermaid or Graphviz DOT text: stages as clusters, jobs as nodes,
 * stage edges between clusters' last and first jobs, gates (approval, disabled transition) as labels.
 */
import { layers, type PipelineIR } from "@pipeglot/schema";

export type GraphFormat = "mermaid" | "dot";

const id = (...parts: string[]) => parts.join("__").replace(/[^A-Za-z0-9_]/g, "_");
const label = (s: string) => s.replace(/"/g, "'");

interface Edge {
  from: string;
  to: string;
  label?: string;
}

function edges(ir: PipelineIR): Edge[] {
  const out: Edge[] = [];
  const byName = new Map(ir.stages.map((s) => [s.name, s]));
  const sinks = (stage: string) => {
    const s = byName.get(stage)!;
    const needed = new Set(s.jobs.flatMap((j) => j.needs));
    return s.jobs.filter((j) => !needed.has(j.name)).map((j) => id(s.name, j.name));
  };
  for (const s of ir.stages) {
    const gate = [s.approval ? "approval" : "", !s.transition.enabled ? "transition disabled" : ""].filter(Boolean).join(", ");
    const roots = s.jobs.filter((j) => j.needs.length === 0).map((j) => id(s.name, j.name));
    for (const dep of s.needs)
      if (byName.has(dep)) for (const from of sinks(dep)) for (const to of roots) out.push({ from, to, ...(gate ? { label: gate } : {}) });
    for (const j of s.jobs) for (const n of j.needs) out.push({ from: id(s.name, n), to: id(s.name, j.name) });
  }
  return out;
}

export function renderGraph(ir: PipelineIR, format: GraphFormat): string {
  const lines: string[] = [];
  if (format === "mermaid") {
    lines.push("flowchart LR");
    for (const s of ir.stages) {
      lines.push(`  subgraph ${id("stage", s.name)}["${label(s.name)}"]`);
      for (const layer of layers(
        s.jobs.map((j) => j.name),
        (n) => s.jobs.find((j) => j.name === n)?.needs ?? [],
      ))
        for (const jn of layer) lines.push(`    ${id(s.name, jn)}["${label(jn)}"]`);
      lines.push("  end");
    }
    for (const e of edges(ir)) lines.push(`  ${e.from} -->${e.label ? `|${label(e.label)}|` : ""} ${e.to}`);
  } else {
    lines.push(`digraph "${label(ir.name)}" {`, "  rankdir=LR;", "  node [shape=box];");
    for (const s of ir.stages) {
      lines.push(`  subgraph "cluster_${label(s.name)}" {`, `    label="${label(s.name)}";`);
      for (const j of s.jobs) lines.push(`    ${id(s.name, j.name)} [label="${label(j.name)}"];`);
      lines.push("  }");
    }
    for (const e of edges(ir)) lines.push(`  ${e.from} -> ${e.to}${e.label ? ` [label="${label(e.label)}"]` : ""};`);
    lines.push("}");
  }
  return lines.join("\n") + "\n";
}
