/**
 * Lays a run graph out with ELK (elkjs: the Eclipse Layout Kernel's layered algorithm, pure JS,
 * no browser needed) and draws it as self-contained inline SVG: clusters as boxes, nodes as
 * <g class="node" data-id=…>, edges as paths with arrowheads. Deterministic for the same graph.
 */
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api.js";
import type { RunGraph, RunNodeKind } from "@pipeglot/core";

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface LaidNode extends Box {
  id: string;
  label: string;
  kind: RunNodeKind;
  detail?: string;
}
export interface LaidCluster extends Box {
  id: string;
  label: string;
}
export interface LaidEdge {
  from: string;
  to: string;
  label?: string;
  points: { x: number; y: number }[];
  labelBox?: Box;
}
export interface Layout {
  width: number;
  height: number;
  clusters: LaidCluster[];
  nodes: LaidNode[];
  edges: LaidEdge[];
}

const CHAR = 7;
const NODE_H = 30;
const textWidth = (s: string) => Math.ceil(s.length * CHAR);
const clip = (s: string, n = 40) => (s.length > n ? s.slice(0, n - 1) + "…" : s);

/** Position every cluster, node and edge of `g`. */
export async function layoutRunGraph(g: RunGraph): Promise<Layout> {
  if (g.none || !g.nodes.length) return { width: 0, height: 0, clusters: [], nodes: [], edges: [] };
  // elkjs is large: load it only when a graph is laid out (keeps every other command's start-up fast).
  const ELK = (await import("elkjs/lib/elk.bundled.js")).default;
  const elk = new (ELK as unknown as new () => { layout(g: ElkNode): Promise<ElkNode> })();
  const leaf = (n: RunGraph["nodes"][number]): ElkNode => ({ id: n.id, width: Math.max(70, textWidth(clip(n.label)) + 20), height: NODE_H });
  const clusters: ElkNode[] = g.clusters.map((c) => ({
    id: c.id,
    labels: [{ text: clip(c.label, 60), width: textWidth(clip(c.label, 60)), height: 14 }],
    layoutOptions: { "elk.padding": "[top=28,left=12,bottom=12,right=12]", "elk.nodeLabels.placement": "[H_LEFT, V_TOP, INSIDE]" },
    children: g.nodes.filter((n) => n.cluster === c.id).map(leaf),
  }));
  const edges: ElkExtendedEdge[] = g.edges.map((e, i) => ({
    id: `e${i}`,
    sources: [e.from],
    targets: [e.to],
    ...(e.label ? { labels: [{ text: clip(e.label, 36), width: textWidth(clip(e.label, 36)), height: 12 }] } : {}),
  }));
  const root: ElkNode = {
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.hierarchyHandling": "INCLUDE_CHILDREN",
      "elk.layered.spacing.nodeNodeBetweenLayers": "40",
      "elk.spacing.nodeNode": "18",
      "elk.spacing.edgeLabel": "4",
      "elk.edgeLabels.placement": "CENTER",
      "elk.json.shapeCoords": "ROOT",
      "elk.json.edgeCoords": "ROOT",
      "elk.padding": "[top=8,left=8,bottom=8,right=8]",
    },
    children: [...clusters.filter((c) => c.children!.length), ...g.nodes.filter((n) => !n.cluster || !g.clusters.some((c) => c.id === n.cluster)).map(leaf)],
    edges,
  };
  const out = await elk.layout(root);
  const laidClusters: LaidCluster[] = [];
  const laidNodes: LaidNode[] = [];
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const clusterLabel = new Map(g.clusters.map((c) => [c.id, c.label]));
  const visit = (n: ElkNode) => {
    for (const c of n.children ?? []) {
      const box = { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 };
      if (clusterLabel.has(c.id) && c.children?.length) laidClusters.push({ id: c.id, label: clusterLabel.get(c.id)!, ...box });
      const node = byId.get(c.id);
      if (node) laidNodes.push({ id: node.id, label: node.label, kind: node.kind, ...(node.detail ? { detail: node.detail } : {}), ...box });
      visit(c);
    }
  };
  visit(out);
  const laidEdges: LaidEdge[] = [];
  const collect = (n: ElkNode) => {
    for (const e of (n.edges ?? []) as ElkExtendedEdge[]) {
      const src = g.edges[Number(e.id.slice(1))]!;
      const points = (e.sections ?? []).flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]);
      const lab = e.labels?.[0];
      laidEdges.push({
        from: src.from,
        to: src.to,
        ...(src.label ? { label: src.label } : {}),
        points,
        ...(lab && lab.x !== undefined ? { labelBox: { x: lab.x, y: lab.y ?? 0, width: lab.width ?? 0, height: lab.height ?? 0 } } : {}),
      });
    }
    for (const c of n.children ?? []) collect(c);
  };
  collect(out);
  laidEdges.sort((a, b) => g.edges.findIndex((e) => e.from === a.from && e.to === a.to) - g.edges.findIndex((e) => e.from === b.from && e.to === b.to));
  return { width: Math.ceil(out.width ?? 0), height: Math.ceil(out.height ?? 0), clusters: laidClusters, nodes: laidNodes, edges: laidEdges };
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const r = (n: number) => Math.round(n * 10) / 10;

/** Inline SVG for a laid-out graph; `prefix` keeps marker ids unique when several SVGs share a page. */
export function renderSvg(l: Layout, prefix: string, title: string): string {
  const arrow = `${prefix}-arrow`;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="run-graph" data-provider="${esc(prefix)}" width="${l.width}" height="${l.height}" viewBox="0 0 ${l.width} ${l.height}" role="img" aria-label="${esc(title)}">`,
    `<title>${esc(title)}</title>`,
    `<defs><marker id="${arrow}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" class="arrow"/></marker></defs>`,
  );
  for (const c of l.clusters)
    out.push(
      `<g class="cluster" data-id="${esc(c.id)}"><rect x="${r(c.x)}" y="${r(c.y)}" width="${r(c.width)}" height="${r(c.height)}" rx="6"/><text x="${r(c.x + 10)}" y="${r(c.y + 17)}">${esc(clip(c.label, 60))}</text></g>`,
    );
  for (const e of l.edges) {
    if (e.points.length < 2) continue;
    const d = e.points.map((p, i) => `${i ? "L" : "M"}${r(p.x)},${r(p.y)}`).join("");
    out.push(`<g class="edge" data-from="${esc(e.from)}" data-to="${esc(e.to)}"><path d="${d}" marker-end="url(#${arrow})"/>`);
    if (e.label && e.labelBox)
      out.push(`<text class="edge-label" x="${r(e.labelBox.x)}" y="${r(e.labelBox.y + e.labelBox.height - 2)}">${esc(clip(e.label, 36))}</text>`);
    out.push(`</g>`);
  }
  for (const n of l.nodes)
    out.push(
      `<g class="node ${n.kind}" data-id="${esc(n.id)}" data-kind="${n.kind}"><title>${esc(n.label + (n.detail ? ` — ${n.detail}` : ""))}</title><rect x="${r(n.x)}" y="${r(n.y)}" width="${r(n.width)}" height="${r(n.height)}" rx="${n.kind === "approval" ? 14 : 4}"/><text x="${r(n.x + n.width / 2)}" y="${r(n.y + n.height / 2 + 4)}" text-anchor="middle">${esc(clip(n.label))}</text></g>`,
    );
  out.push(`</svg>`);
  return out.join("\n");
}
