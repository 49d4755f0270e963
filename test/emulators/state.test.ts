/**
 * The emulators' saved state (what `pipeglot emulate --state` writes): a state saved by one set of
 * servers, loaded by a new one, serves the same resources; ids generated after the restart do not
 * repeat the ones before it. (The encoding itself: packages/emulators/src/core/state.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { startEmulators } from "@pipeglot/emulators";

const trigger = (name: string) => ({
  name,
  github: { owner: "acme", name: "shop", push: { branch: "^main$" } },
  build: { steps: [{ name: "node:20", args: ["npm", "test"] }] },
});

async function createTrigger(endpoint: string, name: string): Promise<string> {
  const res = await fetch(`${endpoint}/v1/projects/acme/locations/global/triggers`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(trigger(name)),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: string }).id;
}

describe("emulator state", () => {
  it("a new set of servers loaded with a saved state serves the same resources and new ids", async () => {
    const first = await startEmulators({ providers: ["gcp", "azure"] });
    const before = await createTrigger(first.endpoints.gcp!, "one");
    first.azure.addServiceEndpoint("shop", "github");
    const saved = JSON.parse(JSON.stringify(first.saveState()));
    const gcpState = first.gcp.state();
    const azureState = first.azure.state();
    await first.close();

    const second = await startEmulators({ providers: ["gcp", "azure"], state: saved });
    try {
      expect(second.gcp.state()).toEqual(gcpState);
      expect(second.azure.state()).toEqual(azureState);
      const after = await createTrigger(second.endpoints.gcp!, "two");
      expect(after).not.toBe(before);
      expect(second.gcp.state().map((t) => t.trigger.name)).toEqual(["one", "two"]);
    } finally {
      await second.close();
    }
  });
});
