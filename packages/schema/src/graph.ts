/**
 * DAG helpers shared by the checks and every compiler: topological order, cycles, layers.
 * Nodes are names; edges point from a node to what it needs. Unknown needs are ignored here.
 */

/** Kahn's algorithm; ties broken by declaration order, so the result is deterministic. */
export function topoSort(nodes: readonly string[], needs: (n: string) => readonly string[]): string[] | undefined {
  const known = new Set(nodes);
  const indeg = new Map(nodes.map((n) => [n, needs(n).filter((d) => known.has(d)).length]));
  const dependents = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const n of nodes) for (const d of new Set(needs(n))) if (known.has(d)) dependents.get(d)!.push(n);
  const order: string[] = [];
  const ready = nodes.filter((n) => indeg.get(n) === 0);
  while (ready.length) {
    const n = ready.shift()!;
    order.push(n);
    for (const m of dependents.get(n)!) {
      const left = indeg.get(m)! - 1;
      indeg.set(m, left);
      if (left === 0) ready.push(m);
    }
    ready.sort((a, b) => nodes.indexOf(a) - nodes.indexOf(b));
  }
  return order.length === nodes.length ? order : undefined;
}

/** One cycle, as a path that starts and ends at the same node (a → b → a), or undefined. */
export function findCycle(nodes: readonly string[], needs: (n: string) => readonly string[]): string[] | undefined {
  const known = new Set(nodes);
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    state.set(n, 1);
    stack.push(n);
    for (const d of needs(n)) {
      if (!known.has(d)) continue;
      if (state.get(d) === 1) return [...stack.slice(stack.indexOf(d)), d];
      if (!state.has(d)) {
        const c = visit(d);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, 2);
    return undefined;
  };
  for (const n of nodes) {
    if (!state.has(n)) {
      const c = visit(n);
      if (c) return c.reverse();
    }
  }
  return undefined;
}

/** Longest-path layers: layer 0 holds the roots; every node sits one layer after its deepest need. */
export function layers(nodes: readonly string[], needs: (n: string) => readonly string[]): string[][] {
  const order = topoSort(nodes, needs) ?? [...nodes];
  const depth = new Map<string, number>();
  for (const n of order)
    depth.set(
      n,
      Math.max(
        -1,
        ...needs(n)
          .filter((d) => depth.has(d))
          .map((d) => depth.get(d)!),
      ) + 1,
    );
  const out: string[][] = [];
  for (const n of nodes) (out[depth.get(n)!] ??= []).push(n);
  return out.filter(Boolean);
}

/** Every node that `n` transitively needs. */
export function ancestors(n: string, needs: (n: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...needs(n)];
  while (todo.length) {
    const d = todo.pop()!;
    if (seen.has(d)) continue;
    seen.add(d);
    todo.push(...needs(d));
  }
  return seen;
}
