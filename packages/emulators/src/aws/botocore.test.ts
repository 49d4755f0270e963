import { describe, expect, it } from "vitest";
import { ShapeValidator, validationMessage, type BotocoreModel } from "./botocore.js";

/** A synthetic model with one of each constraint, so the validator is tested without ../shared. */
const MODEL: BotocoreModel = {
  metadata: { targetPrefix: "Test_20200101" },
  operations: { Put: { name: "Put", input: { shape: "PutInput" } }, Ping: { name: "Ping" } },
  shapes: {
    PutInput: {
      type: "structure",
      required: ["name", "items"],
      members: {
        name: { shape: "Name" },
        items: { shape: "Items" },
        size: { shape: "Size" },
        mode: { shape: "Mode" },
        labels: { shape: "Labels" },
        secret: { shape: "Secret" },
        on: { shape: "Flag" },
      },
    },
    Name: { type: "string", min: 2, max: 5, pattern: "[a-z]+" },
    Items: { type: "list", member: { shape: "Item" }, max: 2 },
    Item: { type: "structure", required: ["id"], members: { id: { shape: "Name" } } },
    Size: { type: "integer", min: 1, max: 10 },
    Mode: { type: "string", enum: ["A", "B"] },
    Labels: { type: "map", key: { shape: "Name" }, value: { shape: "Name" }, max: 1 },
    Secret: { type: "string", max: 3, sensitive: true },
    Flag: { type: "boolean" },
  },
};

describe("ShapeValidator", () => {
  const v = new ShapeValidator(MODEL);

  it("accepts a valid input and an operation without input", () => {
    expect(v.validateInput("Put", { name: "abc", items: [{ id: "xy" }], size: 3, mode: "A", labels: { ab: "cd" }, on: true })).toEqual([]);
    expect(v.validateInput("Ping", {})).toEqual([]);
    expect(() => v.validateInput("Nope", {})).toThrow(/Nope/);
  });

  it("reports each constraint with AWS's wording and Coral paths", () => {
    const problems = v.validateInput("Put", {
      name: "ABCDEF",
      items: [{ id: "ok" }, {}, { id: "x" }],
      size: 11,
      mode: "C",
      labels: { ab: "cd", ef: "gh" },
      secret: "toolong",
    });
    expect(problems.map((p) => `${p.path}: ${p.message.replace(/^.*constraint: /, "")}`)).toEqual([
      "name: Member must have length less than or equal to 5",
      "name: Member must satisfy regular expression pattern: [a-z]+",
      "items: Member must have length less than or equal to 2",
      "items.2.member.id: Member must not be null",
      "items.3.member.id: Member must have length greater than or equal to 2",
      "size: Member must have value less than or equal to 10",
      "mode: Member must satisfy enum value set: [A, B]",
      "labels: Member must have length less than or equal to 1",
      "secret: Member must have length less than or equal to 3",
    ]);
    expect(problems.find((p) => p.path === "secret")?.message).toContain("Value '***'");
    expect(validationMessage(problems.slice(0, 1))).toBe(
      "1 validation error detected: Value 'ABCDEF' at 'name' failed to satisfy constraint: Member must have length less than or equal to 5",
    );
  });

  it("wrong JSON types are serialization problems", () => {
    const problems = v.validateInput("Put", { name: 5, items: {}, size: 1.5, on: "yes" });
    expect(problems.map((p) => [p.kind, p.path])).toEqual([
      ["serialization", "name"],
      ["serialization", "items"],
      ["serialization", "size"],
      ["serialization", "on"],
    ]);
  });
});
