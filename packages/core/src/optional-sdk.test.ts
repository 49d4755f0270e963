import { describe, expect, it } from "vitest";
import { isPipeglotError } from "./errors.js";
import { importSdk, type SdkRequirement } from "./optional-sdk.js";

const need: SdkRequirement = { who: "the Example live commands (plan, apply, pull)", packages: ["@pipeglot-test/no-such-sdk", "no-such-sdk-helper"] };

describe("importSdk: an optional SDK", () => {
  it("that is not installed is a config error naming the package and the install command", async () => {
    const e: unknown = await importSdk(need, "@pipeglot-test/no-such-sdk", () => import("@pipeglot-test/no-such-sdk" as string)).catch((x: unknown) => x);
    expect(isPipeglotError(e)).toBe(true);
    expect((e as { kind: string }).kind).toBe("config");
    expect((e as Error).message).toBe(
      "the Example live commands (plan, apply, pull) need @pipeglot-test/no-such-sdk, which is not installed: run `npm install @pipeglot-test/no-such-sdk no-such-sdk-helper` (add -g for a global pipeglot)",
    );
  });

  it("that is installed is returned as import() gives it", async () => {
    const yaml = await importSdk(need, "yaml", () => import("yaml"));
    expect(typeof yaml.parse).toBe("function");
  });

  it("that fails for another reason keeps its own error (a bug or a broken install, not a missing SDK)", async () => {
    const broken = Object.assign(new Error("Cannot find package 'some-transitive-dep' imported from /x/sdk.js"), { code: "ERR_MODULE_NOT_FOUND" });
    const e: unknown = await importSdk(need, "@pipeglot-test/no-such-sdk", () => Promise.reject(broken)).catch((x: unknown) => x);
    expect(e).toBe(broken);
  });
});
