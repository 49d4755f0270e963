/** Shared by the Cloud Build live tests: the real client (@google-cloud/cloudbuild, fallback REST) against the emulator. */
import { startEmulators, type Emulators, type GcbEmulator } from "@pipeglot/emulators";
import { validateFile, type PipelineIR } from "@pipeglot/schema";
import type { DesiredResource } from "@pipeglot/core";
import { compile, connectGcb, desired, type GcbLiveClient } from "@pipeglot/gcp";
import { examples } from "../helpers/paths.js";

export const PROJECT = "acme-ci";

export async function loadExample(name: string): Promise<PipelineIR> {
  const ex = examples().find((e) => e.name === name);
  if (!ex) throw new Error(`no example ${name}`);
  const r = await validateFile(ex.file);
  if (!r.ir) throw new Error(`example ${name} does not validate`);
  return r.ir;
}

export const desiredOf = (ir: PipelineIR): DesiredResource[] => desired(compile(ir));

/** The project a pipeline's triggers live in (targets.gcp.project, else the test project). */
export const projectOf = (ir: PipelineIR): string => ir.targets.gcp?.project ?? PROJECT;

/**
 * A stored trigger as compile wrote it: the Node client sends empty maps (`substitutions: {}`,
 * the output-only `build.timing: {}`) that proto3 treats as absent.
 */
export function withoutEmptyMaps(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutEmptyMaps);
  if (typeof v !== "object" || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if ((k === "substitutions" || k === "timing") && typeof x === "object" && x !== null && Object.keys(x).length === 0) continue;
    out[k] = withoutEmptyMaps(x);
  }
  return out;
}

/** The location a pipeline's triggers live in (targets.gcp.region, else global). */
export const locationOf = (ir: PipelineIR): string => ir.targets.gcp?.region ?? "global";

export interface Harness {
  emu: Emulators;
  gcb: GcbEmulator;
  client(ir: PipelineIR, env?: Record<string, string | undefined>): Promise<GcbLiveClient>;
  close(): Promise<void>;
}

export async function harness(seed = 7): Promise<Harness> {
  const emu = await startEmulators({ providers: ["gcp"], seed });
  const clients: GcbLiveClient[] = [];
  return {
    emu,
    gcb: emu.gcp!,
    async client(ir, env = {}) {
      const c = await connectGcb(
        { target: { project: PROJECT, ...(ir.targets.gcp ?? {}) }, env: { ...emu.env, ...env } },
        // fast backoff: the tests inject faults, they do not wait for them
        { minBackoffMs: 2, maxBackoffMs: 20, readRetries: 12 },
      );
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) await c.close();
      await emu.close();
    },
  };
}

/** Fast engine backoff for apply in tests. */
export const FAST = { minBackoffMs: 2, maxBackoffMs: 20, retries: 12 };

/** The stored triggers without what the server assigns (ids, times): the "final state" of a run. */
export function finalState(gcb: GcbEmulator): unknown[] {
  return gcb
    .state()
    .map((s) => {
      const t = { ...s.trigger };
      delete t.id;
      delete t.createTime;
      delete t.resourceName;
      return { project: s.project, location: s.location, trigger: t };
    })
    .sort((a, b) => (String(a.trigger.name) < String(b.trigger.name) ? -1 : 1));
}

/** Total requests the emulator saw, and per operation. */
export function calls(gcb: GcbEmulator): { total: number; byOp: Record<string, number> } {
  const snap = gcb.counters.snapshot() as Record<string, { requests: number }>;
  const byOp = Object.fromEntries(Object.entries(snap).map(([k, v]) => [k, v.requests]));
  return { total: Object.values(byOp).reduce((a, b) => a + b, 0), byOp };
}
