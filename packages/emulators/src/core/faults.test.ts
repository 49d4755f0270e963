import { describe, expect, it } from "vitest";
import { FaultController } from "./faults.js";
import { Prng, subSeed } from "./prng.js";

describe("FaultController", () => {
  it("is reproducible per seed and honours the rates roughly", () => {
    const run = (seed: number) => {
      const f = new FaultController(seed, { throttleRate: 0.3, errorRate: 0.2, dropRate: 0.1 });
      return Array.from({ length: 2000 }, () => f.decide());
    };
    const a = run(1);
    expect(run(1)).toEqual(a);
    expect(run(2)).not.toEqual(a);
    const share = (d: string) => a.filter((x) => x === d).length / a.length;
    expect(share("drop")).toBeGreaterThan(0.07);
    expect(share("drop")).toBeLessThan(0.13);
    // throttle is drawn independently of drop: 0.9 * 0.3
    expect(share("throttle")).toBeGreaterThan(0.23);
    expect(share("throttle")).toBeLessThan(0.31);
    expect(share("none")).toBeGreaterThan(0.45);
  });

  it("changing one rate keeps the others' schedule (three draws per request)", () => {
    const f1 = new FaultController(7, { throttleRate: 0.5 });
    const f2 = new FaultController(7, { throttleRate: 0.5, errorRate: 0 });
    expect(Array.from({ length: 50 }, () => f1.decide())).toEqual(Array.from({ length: 50 }, () => f2.decide()));
  });

  it("set, get, clear, and refuses nonsense", () => {
    const f = new FaultController(1);
    expect(f.decide()).toBe("none");
    expect(f.set({ dropRate: 1 })).toEqual({ latencyMs: 0, throttleRate: 0, errorRate: 0, dropRate: 1 });
    expect(f.decide()).toBe("drop");
    f.clear();
    expect(f.get().dropRate).toBe(0);
    expect(() => f.set({ errorRate: -0.1 })).toThrow(RangeError);
    expect(() => f.set({ throttleRate: Number.NaN })).toThrow(RangeError);
  });
});

describe("Prng", () => {
  it("gives reproducible v4-shaped uuids and independent streams", () => {
    const a = new Prng(subSeed(1, "ids"));
    const b = new Prng(subSeed(1, "ids"));
    const id = a.uuid();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b.uuid()).toBe(id);
    expect(new Prng(subSeed(1, "faults")).uuid()).not.toBe(id);
  });
});
