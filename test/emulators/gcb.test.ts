/**
 * The Cloud Build emulator through the real @google-cloud/cloudbuild client in REST fallback
 * mode (PROVIDERS.md §3.5/§7), plus plain REST for what the client cannot send (approvalConfig).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudBuildClient } from "@google-cloud/cloudbuild";
import { GCB_ENDPOINT_ENV, startEmulators, type Emulators } from "@pipeglot/emulators";
import { cloudBuild, rejection, trigger } from "./fixtures.js";

const PARENT = "projects/acme-ci/locations/europe-west1";

describe("Cloud Build emulator", () => {
  let emu: Emulators;
  let gcb: CloudBuildClient;

  beforeAll(async () => {
    emu = await startEmulators({ providers: ["gcp"], seed: 42, now: () => new Date("2026-02-03T04:05:06.789Z") });
    gcb = cloudBuild(emu.endpoints.gcp!);
  });
  afterAll(async () => {
    await gcb.close();
    await emu.close();
  });

  it("exposes its endpoint in the env", () => {
    expect(emu.env[GCB_ENDPOINT_ENV]).toBe(emu.endpoints.gcp);
    expect(emu.endpoints.gcp).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("create → get → list → update → delete through the client", async () => {
    const [created] = await gcb.createBuildTrigger({ parent: PARENT, trigger: trigger("shop-api-main") });
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(created.resourceName).toBe(`${PARENT}/triggers/${created.id}`);
    expect(created.createTime?.seconds?.toString()).toBe(String(Date.parse("2026-02-03T04:05:06Z") / 1000));
    // Enums went over the wire as numbers and came back as the same enum values.
    expect(created.build?.options?.machineType).toBe("E2_HIGHCPU_8");
    expect(created.build?.options?.logging).toBe("CLOUD_LOGGING_ONLY");
    expect(emu.gcp.state()[0].trigger.build).toMatchObject({ options: { machineType: "E2_HIGHCPU_8", logging: "CLOUD_LOGGING_ONLY" } });

    const [byId] = await gcb.getBuildTrigger({ name: created.resourceName! });
    expect(byId.name).toBe("shop-api-main");
    expect(byId.build?.steps?.map((s) => s.args?.join(" "))).toEqual(["ci", "test"]);
    const [byName] = await gcb.getBuildTrigger({ name: `${PARENT}/triggers/shop-api-main` });
    expect(byName.id).toBe(created.id);

    await gcb.createBuildTrigger({ parent: PARENT, trigger: trigger("shop-api-pr") });
    const [listed] = await gcb.listBuildTriggers({ parent: PARENT });
    expect(listed.map((t) => t.name)).toEqual(["shop-api-main", "shop-api-pr"]);
    const paged: string[] = [];
    for await (const t of gcb.listBuildTriggersAsync({ parent: PARENT, pageSize: 1 })) paged.push(t.name!); // follows nextPageToken
    expect(paged).toEqual(["shop-api-main", "shop-api-pr"]);
    expect(emu.gcp.counters.get("CloudBuild.ListBuildTriggers").requests).toBe(3);

    const [updated] = await gcb.updateBuildTrigger({
      trigger: { ...byId, description: "pipeglot: shop-api build (v2)", disabled: true, resourceName: created.resourceName },
    });
    expect(updated.description).toBe("pipeglot: shop-api build (v2)");
    expect(updated.disabled).toBe(true);
    expect(updated.id).toBe(created.id);
    expect(updated.createTime?.seconds?.toString()).toBe(created.createTime?.seconds?.toString());

    const [masked] = await gcb.updateBuildTrigger({
      trigger: { resourceName: created.resourceName, description: "only this" },
      updateMask: { paths: ["description"] },
    });
    expect(masked.description).toBe("only this");
    expect(masked.disabled).toBe(true); // not in the mask: kept

    await gcb.deleteBuildTrigger({ name: created.resourceName! });
    const [left] = await gcb.listBuildTriggers({ parent: PARENT });
    expect(left.map((t) => t.name)).toEqual(["shop-api-pr"]);
    const gone = await rejection(gcb.getBuildTrigger({ name: created.resourceName! }));
    expect(gone.code).toBe(404);
    expect(gone.message).toContain('"status":"NOT_FOUND"');
  });

  it("the legacy global form /v1/projects/{p}/triggers", async () => {
    const [t] = await gcb.createBuildTrigger({ projectId: "acme-ci", trigger: trigger("global-one") });
    expect(t.resourceName).toBe(`projects/acme-ci/locations/global/triggers/${t.id}`);
    const [got] = await gcb.getBuildTrigger({ projectId: "acme-ci", triggerId: t.id! });
    expect(got.name).toBe("global-one");
    const [viaLocation] = await gcb.listBuildTriggers({ parent: "projects/acme-ci/locations/global" });
    expect(viaLocation.map((x) => x.name)).toEqual(["global-one"]);
    await gcb.deleteBuildTrigger({ projectId: "acme-ci", triggerId: t.id! });
    const [none] = await gcb.listBuildTriggers({ projectId: "acme-ci" });
    expect(none).toEqual([]);
  });

  // In fallback mode (gax 5.0.8 + google-auth-library 10) the client surfaces a non-2xx answer as
  // a GaxiosError: `code` is the HTTP status and `message` the raw Google error JSON.
  it("errors in Google's shape: ALREADY_EXISTS, INVALID_ARGUMENT, NOT_FOUND", async () => {
    const dup = await rejection(gcb.createBuildTrigger({ parent: PARENT, trigger: trigger("shop-api-pr") }));
    expect(dup.code).toBe(409);
    expect(dup.message).toContain('"status":"ALREADY_EXISTS"');
    expect(dup.message).toContain("already exists");
    const badName = await rejection(gcb.createBuildTrigger({ parent: PARENT, trigger: trigger("-bad-") }));
    expect(badName.code).toBe(400);
    expect(badName.message).toContain('"status":"INVALID_ARGUMENT"');
    const badSub = await rejection(gcb.createBuildTrigger({ parent: PARENT, trigger: { ...trigger("subs"), substitutions: { lower: "x" } } }));
    expect(badSub.code).toBe(400);
    expect(badSub.message).toContain("lower");
    const noSteps = await rejection(gcb.createBuildTrigger({ parent: PARENT, trigger: { ...trigger("nosteps"), build: { steps: [] } } }));
    expect(noSteps.code).toBe(400);
    const missing = await rejection(gcb.updateBuildTrigger({ trigger: { resourceName: `${PARENT}/triggers/nope`, name: "nope" } }));
    expect(missing.code).toBe(404);
    expect(emu.gcp.state().map((t) => t.trigger.name)).not.toContain("subs");

    const raw = await fetch(`${emu.endpoints.gcp}/v1/${PARENT}/triggers/nope`);
    expect(raw.status).toBe(404);
    expect(await raw.json()).toEqual({ error: { code: 404, message: expect.stringContaining("nope"), status: "NOT_FOUND" } });
    const unknownField = await fetch(`${emu.endpoints.gcp}/v1/${PARENT}/triggers`, {
      method: "POST",
      body: JSON.stringify({ ...trigger("x"), colour: "red" }),
    });
    expect(unknownField.status).toBe(400);
    expect(((await unknownField.json()) as { error: { status: string; message: string } }).error).toMatchObject({
      status: "INVALID_ARGUMENT",
      message: expect.stringContaining('"colour"'),
    });
  });

  it("approvalConfig through plain REST; the client drops it on read", async () => {
    const [t] = await gcb.createBuildTrigger({ parent: PARENT, trigger: trigger("needs-approval") });
    const url = `${emu.endpoints.gcp}/v1/${t.resourceName}?updateMask=approvalConfig`;
    const patched = await fetch(url, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ approvalConfig: { approvalRequired: true } }),
    });
    expect(patched.status).toBe(200);
    const body = (await patched.json()) as { approvalConfig?: { approvalRequired?: boolean }; name?: string; build?: unknown };
    expect(body.approvalConfig).toEqual({ approvalRequired: true });
    expect(body.name).toBe("needs-approval"); // the mask kept everything else
    expect(body.build).toBeDefined();

    const read = (await (await fetch(`${emu.endpoints.gcp}/v1/${t.resourceName}`)).json()) as {
      approvalConfig?: unknown;
      build?: { options?: { machineType?: unknown } };
    };
    expect(read.approvalConfig).toEqual({ approvalRequired: true });
    expect(read.build?.options?.machineType).toBe("E2_HIGHCPU_8"); // names unless enum-encoding=int is asked
    const asInts = (await (await fetch(`${emu.endpoints.gcp}/v1/${t.resourceName}?$alt=json;enum-encoding=int`)).json()) as {
      build?: { options?: { machineType?: unknown } };
    };
    expect(asInts.build?.options?.machineType).toBe(5);

    // The client's proto has no approvalConfig (PROVIDERS.md §3.3): it is invisible through the SDK.
    const [viaClient] = await gcb.getBuildTrigger({ name: t.resourceName! });
    expect(viaClient.name).toBe("needs-approval");
    expect((viaClient as Record<string, unknown>).approvalConfig).toBeUndefined();
  });

  it("an out-of-band edit is visible to the next read", async () => {
    emu.gcp.mutateTrigger("shop-api-pr", (t) => {
      t.description = "edited in the console";
    });
    const [t] = await gcb.getBuildTrigger({ name: `${PARENT}/triggers/shop-api-pr` });
    expect(t.description).toBe("edited in the console");
  });
});

describe("Cloud Build ids are reproducible", () => {
  it("the same seed gives the same ids", async () => {
    const ids: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const emu = await startEmulators({ providers: ["gcp"], seed: 7 });
      const gcb = cloudBuild(emu.endpoints.gcp!);
      try {
        const [a] = await gcb.createBuildTrigger({ parent: PARENT, trigger: trigger("a") });
        const [b] = await gcb.createBuildTrigger({ parent: PARENT, trigger: trigger("b") });
        ids.push([a.id!, b.id!]);
      } finally {
        await gcb.close();
        await emu.close();
      }
    }
    expect(ids[0]).toEqual(ids[1]);
    expect(ids[0][0]).not.toBe(ids[0][1]);
  });
});
