/**
 * The worst case the README states: with every request failing (100% 5xx), a read and a write of
 * one resource each send exactly DEFAULT_RETRY.attempts requests — core's retry layer is the only
 * one (the SDKs' own retries are off, the engine does not retry on top). Counted by each
 * emulator, through the real SDK clients.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apply, DEFAULT_RETRY, plan, type Change, type DesiredResource, type LiveClient, type Plan } from "@pipeglot/core";
import type { ProviderEmulator } from "@pipeglot/emulators";
import type { ProviderId } from "@pipeglot/schema";
import { connectGcb, desired as gcpDesired, compile as gcpCompile } from "@pipeglot/gcp";
import { provider as oci } from "@pipeglot/oci";
import { rig, loadExample, desiredOf as awsDesired } from "../aws-live/helpers.js";
import { harness, loadExample as gcpExample, PROJECT } from "../gcp-live/helpers.js";
import { compileOk, shopIR, world, desiredResources as azureDesired } from "../azure-live/helpers.js";
import { cleanup, connectTo, example as ociExample, identity, startOci, type Identity } from "../oci-live/helpers.js";

const N = DEFAULT_RETRY.attempts;

interface Subject {
  emu: ProviderEmulator;
  client: LiveClient;
  desired: DesiredResource[];
  pipeline: string;
  close(): Promise<void>;
}

/** A read of one resource and a write (create) of one, each against a server that answers only 5xx. */
async function worstCase(cloud: ProviderId, s: Subject): Promise<{ read: number; write: number }> {
  const p: Plan = await plan(cloud, s.pipeline, s.desired, s.client); // no faults yet: everything is a create
  const create = p.changes.find((c) => c.action === "create" && c.dependsOn.length === 0) as Change;
  s.emu.faults.set({ errorRate: 1 });
  s.emu.counters.reset();
  // Retries exhausted: the cloud's trouble, said in one line (a UserError, exit 1 in the CLI).
  await expect(s.client.read([create.key], s.pipeline)).rejects.toMatchObject({
    name: "ServiceError",
    exitCode: 1,
    message: expect.stringMatching(new RegExp(`: still failing after ${N} attempts: `)),
  });
  const read = s.emu.counters.total();
  s.emu.counters.reset();
  const r = await apply({ ...p, changes: [create] }, s.client, { minBackoffMs: 1, maxBackoffMs: 5 });
  // The result counts the attempts of the write's request: all N were sent.
  expect(r.results[0]).toMatchObject({ status: "failed", attempts: N });
  const write = s.emu.counters.total();
  s.emu.faults.clear();
  return { read, write };
}

const subjects: Record<string, () => Promise<Subject>> = {
  aws: async () => {
    const r = await rig();
    const ir = await loadExample("node-webapp");
    return { emu: r.emu.aws, client: r.client, desired: awsDesired(ir), pipeline: ir.name, close: r.close };
  },
  gcp: async () => {
    const h = await harness();
    const ir = await gcpExample("node-webapp");
    const client = await connectGcb({ target: { project: PROJECT, ...(ir.targets.gcp ?? {}) }, env: h.emu.env }, { minBackoffMs: 1, maxBackoffMs: 5 });
    return { emu: h.gcb, client, desired: gcpDesired(gcpCompile(ir)), pipeline: ir.name, close: async () => (await client.close(), await h.close()) };
  },
  azure: async () => {
    const w = await world();
    const ir = await shopIR();
    const client = await w.client({ retry: { minBackoffMs: 1, maxBackoffMs: 5 } });
    return { emu: w.emu.azure, client, desired: azureDesired(compileOk(ir)), pipeline: ir.name, close: () => w.emu.close() };
  },
  oci: async () => {
    const id: Identity = identity();
    const emu = await startOci(id);
    const ir = await ociExample("node-webapp");
    const client = await connectTo(emu, id, ir);
    return { emu: emu.oci, client, desired: oci.live.desired(oci.compile(ir)), pipeline: ir.name, close: async () => (await emu.close(), cleanup(id)) };
  },
};

describe.each(Object.keys(subjects))("%s under 100%% 5xx", (cloud) => {
  let s: Subject;
  beforeAll(async () => {
    s = await subjects[cloud]!();
  });
  afterAll(() => s?.close());
  it(`a read and a write of one resource each send exactly ${N} requests`, async () => {
    expect(await worstCase(cloud as ProviderId, s)).toEqual({ read: N, write: N });
  });
});
