/**
 * The run graph: a pipeline AS A PROVIDER WILL RUN IT, read back from the compiled files. The
 * types are provider-neutral; each provider's `runGraph` (ProviderBase) reads its own files with
 * its typed native models and builds the graph with RunGraphBuilder.
 */
import { parse as parseYaml } from "yaml";
import type { ProviderId } from "@pipeglot/schema";
import type { OutputFile } from "./provider.js";

export type RunNodeKind = "source" | "action" | "approval" | "job" | "step" | "stage" | "trigger" | "deploy";

export interface RunNode {
  id: string;
  label: string;
  kind: RunNodeKind;
  cluster?: string;
  /** Extra facts shown on hover (machine type, environment, …). */
  detail?: string;
}
export interface RunEdge {
  from: string;
  to: string;
  label?: string;
}
export interface RunCluster {
  id: string;
  label: string;
}
export interface RunGraph {
  provider: ProviderId;
  clusters: RunCluster[];
  nodes: RunNode[];
  edges: RunEdge[];
  /** Set when there is no graph to draw, saying why. */
  none?: string;
  /** Facts read on the way that the provider's cost estimate uses (passed back to ProviderBase.cost). */
  facts: Record<string, string>;
}

/**
 * What a compiled file may hold when read back: the provider's native type with every member
 * optional, all the way down (a file can be hand-edited or truncated). Arrays stay arrays of the
 * partial element; read them with `listOf`, which drops what is not an object.
 */
export type ReadBack<T> = T extends readonly (infer E)[] ? ReadBack<E>[] : T extends object ? { [K in keyof T]?: ReadBack<T[K]> } : T;

/** The objects of a value that should be an array (anything else: none). */
export function listOf<T>(v: readonly T[] | undefined): T[] {
  return Array.isArray(v) ? (v as unknown[]).filter((x): x is T => typeof x === "object" && x !== null && !Array.isArray(x)) : [];
}

/** A string, or a number as a string; undefined otherwise. */
export function textOf(v: unknown): string | undefined {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}

/**
 * A compiled file's content as data: JSON, else YAML; `undefined` when it does not parse or holds
 * no object or array. The type parameter names the native shape the file's kind promises.
 */
export function readOutputFile<T>(f: OutputFile): ReadBack<T> | undefined {
  const parse = (): unknown => {
    const t = f.content.trimStart();
    try {
      return f.path.endsWith(".json") || t.startsWith("{") || t.startsWith("[") ? JSON.parse(f.content) : parseYaml(f.content);
    } catch {
      try {
        return parseYaml(f.content);
      } catch {
        return undefined;
      }
    }
  };
  const data = parse();
  return typeof data === "object" && data !== null ? (data as ReadBack<T>) : undefined;
}

/** The files of one kind. */
export const filesOfKind = (files: readonly OutputFile[], kind: string): OutputFile[] => files.filter((f) => f.kind === kind);

/** Builds a RunGraph: unique node ids (a repeat gets `~2`, `~3`, …), no self or repeated edges. */
export class RunGraphBuilder {
  readonly clusters: RunCluster[] = [];
  readonly nodes: RunNode[] = [];
  readonly edges: RunEdge[] = [];
  readonly facts: Record<string, string> = {};
  private readonly ids = new Set<string>();
  private readonly edgeKeys = new Set<string>();
  constructor(readonly provider: ProviderId) {}
  cluster(id: string, label: string): string {
    if (!this.clusters.some((c) => c.id === id)) this.clusters.push({ id, label });
    return id;
  }
  node(n: RunNode): string {
    let id = n.id;
    for (let i = 2; this.ids.has(id); i++) id = `${n.id}~${i}`;
    this.ids.add(id);
    this.nodes.push({ ...n, id });
    return id;
  }
  edge(from: string, to: string, label?: string): void {
    const key = `${from}\u0000${to}`;
    if (from === to || this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.edges.push({ from, to, ...(label ? { label } : {}) });
  }
  /** The graph; `none` says why there is nothing to draw (also set when no node was added). */
  done(none?: string): RunGraph {
    if (!this.nodes.length && !none) none = "no graph: the output has no runnable units";
    return { provider: this.provider, clusters: this.clusters, nodes: this.nodes, edges: this.edges, facts: this.facts, ...(none ? { none } : {}) };
  }
}
