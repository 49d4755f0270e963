import { describe, expect, it } from "vitest";
import { ancestors, findCycle, layers, topoSort } from "./graph.js";

const g: Record<string, string[]> = { a: [], b: ["a"], c: ["a"], d: ["b", "c"], e: [] };
const needs = (n: string) => g[n] ?? [];

describe("graph", () => {
  it("topoSort keeps declaration order among ready nodes", () => expect(topoSort(Object.keys(g), needs)).toEqual(["a", "b", "c", "d", "e"]));
  it("layers by longest path", () => expect(layers(Object.keys(g), needs)).toEqual([["a", "e"], ["b", "c"], ["d"]]));
  it("ancestors are transitive", () => expect([...ancestors("d", needs)].sort()).toEqual(["a", "b", "c"]));
  it("no cycle in a DAG", () => expect(findCycle(Object.keys(g), needs)).toBeUndefined());
  it("finds and orders a cycle", () => {
    const c: Record<string, string[]> = { x: ["z"], y: ["x"], z: ["y"], w: [] };
    const cycle = findCycle(Object.keys(c), (n) => c[n]!)!;
    expect(cycle[0]).toBe(cycle[cycle.length - 1]);
    expect(new Set(cycle)).toEqual(new Set(["x", "y", "z"]));
    expect(topoSort(Object.keys(c), (n) => c[n]!)).toBeUndefined();
  });
  it("ignores unknown needs", () => expect(topoSort(["a"], () => ["nope"])).toEqual(["a"]));
});
