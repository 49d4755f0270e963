import { describe, expect, it } from "vitest";
import { closest, distance } from "./suggest.js";

describe("suggestions", () => {
  it("counts a transposition as one edit", () => expect(distance("nmae", "name")).toBe(1));
  it("suggests the closest key", () => expect(closest("sorce", ["source", "stages", "name"])).toBe("source"));
  it("stays quiet when nothing is close", () => expect(closest("banana", ["source", "stages"])).toBeUndefined());
});
