import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration.js";

describe("durations", () => {
  it.each([
    ["90s", 90],
    ["30m", 1800],
    ["1h30m", 5400],
    ["2d", 172800],
    ["1d2h3m4s", 93784],
  ])("%s = %i seconds", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
    expect(parseDuration(formatDuration(seconds))).toBe(seconds);
  });
  it.each(["", "10", "10x", "m", "1m1h", "-5m", "1.5h"])("%j is not a duration", (text) => expect(parseDuration(text)).toBeUndefined());
  it("formats canonically", () => {
    expect(formatDuration(5400)).toBe("1h30m");
    expect(formatDuration(60)).toBe("1m");
    expect(formatDuration(0)).toBe("0s");
  });
});
