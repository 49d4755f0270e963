/**
 * benchOci: how many API calls and how much time a full apply and a no-op plan take for many
 * pipelines, against the OCI DevOps emulator with a fixed latency per call (work requests take
 * two polls). `idealMs` is calls × latency / requests in flight (pipelines at once × apply
 * parallelism), as for the other providers; `criticalPathMs` is the chain of dependent calls of one
 * pipeline × latency, the floor no parallelism can beat.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apply, keyString, mapLimit, plan, type DesiredResource } from "@pipeglot/core";
import { validate, type PipelineIR } from "@pipeglot/schema";
import { compile } from "../compile/index.js";
import { sdkApi } from "./api.js";
import { OciLiveClient } from "./client.js";
import { devopsClient, ociSettings } from "./connect.js";
import { desired } from "./desired.js";

export interface BenchOciOptions {
  pipelines?: number;
  latencyMs?: number;
  /** Pipelines synced at once (default 16). */
  concurrency?: number;
  /** Resources of one pipeline written at once (default 4). */
  parallelism?: number;
  /** The definition (renamed per pipeline); default a build → approval → deploy pipeline with 11 resources. */
  ir?: PipelineIR;
}

export interface BenchPhase {
  apiCalls: number;
  wallMs: number;
  idealMs: number;
  criticalPathMs: number;
}

export interface BenchOciResult {
  pipelines: number;
  resourcesPerPipeline: number;
  latencyMs: number;
  apply: BenchPhase;
  noopPlan: BenchPhase;
  /** Calls of one pipeline's no-op plan, by operation. */
  noopCallsPerPipeline: Record<string, number>;
}

const BENCH_DEFINITION = `pipeglot: 1
name: bench
source: { repository: acme/bench, branch: main }
triggers: { push: { branches: [main] } }
targets:
  oci:
    projectId: ocid1.devopsproject.oc1.us-ashburn-1.amaaaaaabench
    connectionId: ocid1.devopsconnection.oc1.us-ashburn-1.amaaaaaagithub
    subnetId: ocid1.subnet.oc1.us-ashburn-1.amaaaaaasubnet
stages:
  - name: build
    jobs:
      - { name: lint, image: node:20, steps: [{ run: npm run lint }] }
      - { name: test, image: node:20, steps: [{ run: npm test }] }
      - { name: bundle, image: node:20, needs: [lint, test], steps: [{ run: npm run build }] }
  - name: production
    needs: [build]
    approval: { approvers: [ops] }
    jobs:
      - { name: deploy, image: node:20, steps: [{ run: ./deploy.sh }] }
`;

/** Longest chain of dependent writes in a desired set. */
function depth(resources: readonly DesiredResource[]): number {
  const byKey = new Map(resources.map((r) => [keyString(r.key), r]));
  const memo = new Map<string, number>();
  const d = (k: string): number => {
    if (memo.has(k)) return memo.get(k)!;
    const r = byKey.get(k);
    const v = 1 + Math.max(0, ...(r?.dependsOn ?? []).filter((x) => byKey.has(x)).map(d));
    memo.set(k, v);
    return v;
  };
  return Math.max(0, ...resources.map((r) => d(keyString(r.key))));
}

export async function benchOci(opts: BenchOciOptions = {}): Promise<BenchOciResult> {
  const n = opts.pipelines ?? 200;
  const latencyMs = opts.latencyMs ?? 50;
  const base = opts.ir ?? validate(BENCH_DEFINITION).ir;
  if (!base) throw new Error("the bench definition does not validate");
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
  const dir = mkdtempSync(join(tmpdir(), "pipeglot-oci-bench-"));
  const tenancy = "ocid1.tenancy.oc1..bench";
  const user = "ocid1.user.oc1..bench";
  const fingerprint = "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff";
  writeFileSync(join(dir, "key.pem"), privateKey, { mode: 0o600 });
  writeFileSync(join(dir, "config"), `[DEFAULT]\nuser=${user}\nfingerprint=${fingerprint}\ntenancy=${tenancy}\nregion=us-ashburn-1\nkey_file=${join(dir, "key.pem")}\n`);
  // The emulators package is a dev-time sibling; loaded only when the bench runs.
  const emulators = (await import("@pipeglot/emulators" as string)) as { startEmulators: (o: object) => Promise<any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  const emu = await emulators.startEmulators({ providers: ["oci"], latencyMs, ociTrustedKeys: { [`${tenancy}/${user}/${fingerprint}`]: publicKey } });
  try {
    const endpoint = emu.endpoints.oci as string;
    const settings = ociSettings({ target: (base.targets.oci ?? {}) as Record<string, unknown>, env: { OCI_CONFIG_FILE: join(dir, "config"), PIPEGLOT_OCI_POLL_MS: "0" }, endpoint });
    const api = sdkApi(await devopsClient(settings));
    const defs = Array.from({ length: n }, (_, i) => desired(compile({ ...base, name: `${base.name}-${String(i).padStart(3, "0")}` })));
    const resourcesPerPipeline = defs[0]!.length;
    const concurrency = opts.concurrency ?? 16;
    const runAll = async (fn: (i: number) => Promise<void>) => {
      await mapLimit(Array.from({ length: n }, (_, i) => i), concurrency, fn);
    };
    const calls = () => emu.oci.counters.total() as number;

    emu.oci.counters.reset();
    let t0 = Date.now();
    await runAll(async (i) => {
      const client = new OciLiveClient(api, settings);
      const p = await plan("oci", `${base.name}-${i}`, defs[i]!, client);
      const r = await apply(p, client, { parallelism: opts.parallelism ?? 4, minBackoffMs: 10 });
      if (!r.ok) throw new Error(`bench apply failed: ${JSON.stringify(r.results.filter((x) => x.status !== "done"))}`);
    });
    // Plan: list build pipelines, then stages (and the deploy side at the same time), then gets: 3 calls in a row.
    // Apply: per level of the dependency chain, one write and two work request polls.
    const inFlight = Math.min(concurrency, n) * (opts.parallelism ?? 4);
    const applyCalls = calls();
    const applyPhase: BenchPhase = { apiCalls: applyCalls, wallMs: Date.now() - t0, idealMs: (applyCalls * latencyMs) / inFlight, criticalPathMs: (3 + depth(defs[0]!) * 3) * latencyMs };

    emu.oci.counters.reset();
    t0 = Date.now();
    await runAll(async (i) => {
      const client = new OciLiveClient(api, settings);
      const p = await plan("oci", `${base.name}-${i}`, defs[i]!, client);
      if (p.changes.some((c) => c.action !== "noop")) throw new Error(`bench: plan after apply is not empty for pipeline ${i}`);
    });
    const planCalls = calls();
    const noopPlan: BenchPhase = { apiCalls: planCalls, wallMs: Date.now() - t0, idealMs: (planCalls * latencyMs) / Math.min(concurrency, n), criticalPathMs: 3 * latencyMs };
    const per: Record<string, number> = {};
    for (const [op, c] of Object.entries(emu.oci.counters.snapshot() as Record<string, { requests: number }>)) per[op] = c.requests / n;
    return { pipelines: n, resourcesPerPipeline, latencyMs, apply: applyPhase, noopPlan, noopCallsPerPipeline: per };
  } finally {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
