import { describe, expect, it } from "vitest";
import type { Json } from "./json.js";
import { Prng } from "./prng.js";
import { decodeState, encodeState } from "./state.js";

describe("emulator state encoding (emulate --state)", () => {
  it("encodes maps, sets, dates and generators as JSON and back", () => {
    const g = new Prng(7);
    g.next();
    const value = { m: new Map<string, unknown>([["a", { d: new Date("2026-01-02T03:04:05.000Z") }]]), s: new Set([1, 2]), g, n: null, skip: undefined };
    const text = JSON.stringify(encodeState(value));
    const back = decodeState(JSON.parse(text) as Json) as typeof value;
    expect(back.m.get("a")).toEqual({ d: new Date("2026-01-02T03:04:05.000Z") });
    expect([...back.s]).toEqual([1, 2]);
    expect(back.g.next()).toBe(g.next());
    expect("skip" in back).toBe(false);
  });
});
