import { describe, expect, it } from "vitest";
import { cronProblem } from "./cron.js";

describe("cron", () => {
  it.each(["0 3 * * 1-5", "*/15 * * * *", "0 0 1 JAN,JUL *", "30 2 * * SUN", "0 0-23/2 * * *"])("%j is valid", (c) => expect(cronProblem(c)).toBeUndefined());
  it.each([
    ["* * *", "expected 5 fields"],
    ["0 25 * * *", "hour"],
    ["60 * * * *", "minute"],
    ["* * 0 * *", "day of month"],
    ["* * * 13 *", "month"],
    ["*/0 * * * *", "step"],
    ["a b c d e", "minute"],
  ])("%j is invalid (%s)", (c, why) => expect(cronProblem(c)).toContain(why));
});
