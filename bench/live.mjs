// The cost of a sync (issue 14 item 5): one harness and one result shape for the four clouds, so
// that their figures compare. Each cloud: N copies of examples/node-webapp (renamed), planned and
// applied against its emulator with L ms of latency per request, `concurrency` pipelines at once,
// each apply writing up to `parallelism` resources at once; then a no-op plan of all N. Every
// cloud's client is connected once and serves all N pipelines (OCI's too: its scopes are per pipeline).
//
// Two lower bounds of a phase's wall time; ideal = the larger:
// - throughput: calls × L / in-flight, in-flight = concurrency × parallelism (the requests the
//   harness lets run at once): every round trip overlapped with as many others as allowed.
// - critical path: chain × L × ceil(N / concurrency). `chain` is the longest run of round trips one
//   pipeline must make one after another, and at most `concurrency` pipelines run at once. It is
//   computed, not measured (a measured chain would hide a client's needless waits): the adapter's
//   `readDepth` (round trips in a row of the plan's read, on an empty account for apply and on a
//   synced one for the no-op plan, as each client's read is written; see ADAPTERS) plus, for apply,
//   the longest path of the desired resources' `dependsOn` graph, each resource weighted by the
//   round trips its create makes in a row (`writeTrips`: OCI 2, a create then one work-request poll,
//   since a stage's parent must be ACTIVE, i.e. its work request SUCCEEDED, before the stage is
//   created; Azure's definition 2, create then its properties; AWS's stage transitions 0, nothing to
//   disable in the example; everything else 1). Listings a client shares between pipelines (OCI's
//   project listings) are left out of the chain, so the bound stays a lower bound.
// A ratio (wall / ideal) of 1.0 means the phase ran as fast as both bounds allow.
// The OCI emulator finishes a work request as soon as it is polled (ociWorkRequestMs 0): the bench
// measures the clients' round trips, not OCI's provisioning time.
// Prints nothing itself; bench/run.mjs prints the table. test/bench/live.test.ts checks the counts.
import { fork } from "node:child_process";
import { once } from "node:events";
import { createHash, createPublicKey, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { apply, mapLimit, plan, planHasChanges } from "@pipeglot/core";
import { validateFile } from "@pipeglot/schema";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
export const CLOUDS = ["aws", "azure", "gcp", "oci"];

/**
 * cpuMs: CPU time of this process (the SDK clients; the emulator runs in a child process) during the phase;
 * emulatorCpuMs: the emulator process's.
 * idealMs = max(throughputMs, criticalPathMs); chain: round trips one pipeline makes in a row (see the header).
 * @typedef {{ calls: number, wallMs: number, idealMs: number, throughputMs: number, criticalPathMs: number, chain: number, cpuMs: number, emulatorCpuMs: number, byOperation: Record<string, number> }} LivePhase
 * @typedef {{ cloud: string, pipelines: number, resourcesPerPipeline: number, latencyMs: number,
 *   concurrency: number, parallelism: number, inFlight: number, apply: LivePhase, noopPlan: LivePhase }} LiveBench
 * @typedef {{ pipelines?: number, latencyMs?: number, concurrency?: number, parallelism?: number }} LiveBenchOptions
 * @typedef {{ emu: RemoteEmulators, connect(ir: import("@pipeglot/schema").PipelineIR): Promise<import("@pipeglot/core").LiveClient>,
 *   close(): Promise<void> }} Account
 * @typedef {{ id: string, perPipelineClient: boolean, prepare?(ir: import("@pipeglot/schema").PipelineIR): import("@pipeglot/schema").PipelineIR,
 *   readDepth: { empty: number, synced: number }, writeTrips?(kind: string): number,
 *   start(latencyMs: number): Promise<Account> }} Adapter
 */

/**
 * @typedef {{ endpoints: Record<string, string>, env: Record<string, string>, organizationUrl?: string,
 *   counts(): Promise<Record<string, Record<string, { requests: number }>>>, reset(id: string): Promise<void>,
 *   cpuMs(): Promise<number>, close(): Promise<void> }} RemoteEmulators
 */

/**
 * startEmulators in a child process (bench/emulator-child.mjs), so that the server's CPU is not
 * counted against, nor competing on one thread with, the clients being measured.
 * @returns {Promise<RemoteEmulators>}
 */
async function startEmulators(options) {
  const child = fork(join(REPO, "bench/emulator-child.mjs"), [JSON.stringify(options)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const [hello] = await Promise.race([
    once(child, "message"),
    once(child, "exit").then(([code]) => Promise.reject(new Error(`the emulator process exited (${code})`))),
  ]);
  const waiting = new Map();
  let seq = 0;
  child.on("message", (m) => {
    const w = waiting.get(m.seq);
    waiting.delete(m.seq);
    if (m.error) w?.reject(new Error(m.error));
    else w?.resolve(m.value);
  });
  const ask = (op, extra = {}) =>
    new Promise((resolve, reject) => {
      waiting.set(++seq, { resolve, reject });
      child.send({ op, seq, ...extra });
    });
  const cpuMs = async () => {
    const { user, system } = await ask("cpu");
    return (user + system) / 1000;
  };
  const close = async () => {
    const exited = once(child, "exit");
    child.send({ op: "close", seq: ++seq });
    await exited;
  };
  return {
    endpoints: hello.endpoints,
    env: hello.env,
    organizationUrl: hello.organizationUrl,
    counts: () => ask("counts"),
    reset: (id) => ask("reset", { id }),
    cpuMs,
    close,
  };
}

/** A provider's live-sync functions (connect, desired), wherever its contract keeps them. */
const liveOf = (provider) => provider.live ?? provider;

/** Closes the clients that hold sockets, then the emulator. */
const closing = (emu, clients, after) => async () => {
  for (const c of clients) await c.close?.();
  await emu.close();
  after?.();
};

/** A key pair the OCI emulator trusts, in an OCI config file of a temporary folder. */
function ociIdentity() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const der = createPublicKey(publicKey).export({ type: "spki", format: "der" });
  const fingerprint = createHash("md5").update(der).digest("hex").match(/../g).join(":");
  const [tenancy, user] = ["ocid1.tenancy.oc1..aaaaaaaabench", "ocid1.user.oc1..aaaaaaaabench"];
  const dir = mkdtempSync(join(tmpdir(), "pipeglot-bench-oci-"));
  writeFileSync(join(dir, "key.pem"), privateKey, { mode: 0o600 });
  writeFileSync(
    join(dir, "config"),
    `[DEFAULT]\nuser=${user}\nfingerprint=${fingerprint}\ntenancy=${tenancy}\nregion=eu-frankfurt-1\nkey_file=${join(dir, "key.pem")}\n`,
  );
  return { dir, keyId: `${tenancy}/${user}/${fingerprint}`, publicKey };
}

/** How each cloud's emulator starts and how its provider's own connect() reaches it (fake credentials). */
const ADAPTERS = {
  aws: {
    id: "aws",
    perPipelineClient: false,
    // Empty: GetPipeline (404) beside BatchGetProjects. Synced: GetPipeline, then its state and tags.
    readDepth: { empty: 1, synced: 2 },
    writeTrips: (kind) => (kind === "codepipeline.Transitions" ? 0 : 1),
    async start(latencyMs) {
      const emu = await startEmulators({ providers: ["aws"], latencyMs, seed: 1 });
      const { provider } = await import("@pipeglot/aws");
      const clients = [];
      const connect = async (ir) => {
        const c = await liveOf(provider).connect({ target: { ...(ir.targets.aws ?? {}) }, env: emu.env, endpoint: emu.endpoints.aws });
        clients.push(c);
        return c;
      };
      return { emu, connect, close: closing(emu, clients) };
    },
  },
  azure: {
    id: "azure",
    perPipelineClient: false,
    // Environments by name (beside the definition), then their checks by environment id.
    readDepth: { empty: 2, synced: 2 },
    writeTrips: (kind) => (kind === "azure.BuildDefinition" ? 2 : 1),
    // Approvals as environment checks (an API resource each), as test/runner does.
    prepare(ir) {
      const out = structuredClone(ir);
      out.targets.azure = { ...(out.targets.azure ?? {}), approvalMode: "environment" };
      for (const s of out.stages) if (s.approval) s.approval.approvers = ["5f0c7a3e-2b1d-4c8e-9a6f-3d2e1b0c9a87"];
      return out;
    },
    async start(latencyMs) {
      const emu = await startEmulators({ providers: ["azure"], latencyMs, seed: 1, azureRetryAfterSeconds: 0, azureServiceEndpoints: [["shop", "github"]] });
      const { provider } = await import("@pipeglot/azure");
      const env = { AZURE_DEVOPS_ORG_URL: emu.organizationUrl, AZURE_DEVOPS_TOKEN: "bench-token" };
      const clients = [];
      const connect = async (ir) => {
        const c = await liveOf(provider).connect({ target: { ...(ir.targets.azure ?? {}) }, env });
        clients.push(c);
        return c;
      };
      return { emu, connect, close: closing(emu, clients) };
    },
  },
  gcp: {
    id: "gcp",
    perPipelineClient: false,
    // One GET per trigger, all at once.
    readDepth: { empty: 1, synced: 1 },
    async start(latencyMs) {
      const emu = await startEmulators({ providers: ["gcp"], latencyMs, seed: 1 });
      const { provider } = await import("@pipeglot/gcp");
      const env = { ...emu.env, GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.bench" };
      const clients = [];
      const connect = async (ir) => {
        const c = await liveOf(provider).connect({ target: { ...(ir.targets.gcp ?? {}) }, env });
        clients.push(c);
        return c;
      };
      return { emu, connect, close: closing(emu, clients) };
    },
  },
  oci: {
    id: "oci",
    // One client for all pipelines (a scope each; the project's listings shared between them).
    perPipelineClient: false,
    // Empty: the project's listings only (shared, left out). Synced: one GET per resource, all at once.
    readDepth: { empty: 0, synced: 1 },
    writeTrips: () => 2,
    async start(latencyMs) {
      const id = ociIdentity();
      const emu = await startEmulators({ providers: ["oci"], latencyMs, seed: 1, ociTrustedKeys: { [id.keyId]: id.publicKey }, ociWorkRequestMs: 0 });
      const { provider } = await import("@pipeglot/oci");
      const env = {
        OCI_CONFIG_FILE: join(id.dir, "config"),
        HOME: id.dir,
        PIPEGLOT_OCI_POLL_MS: "0",
        PIPEGLOT_OCI_SUBNET_ID: "ocid1.subnet.oc1.eu-frankfurt-1.aaaaaaaasubnet",
        PIPEGLOT_OCI_ARTIFACT_REPOSITORY_ID: "ocid1.artifactrepository.oc1.eu-frankfurt-1.aaaaaaaarepo",
      };
      const clients = [];
      const connect = async (ir) => {
        const c = await liveOf(provider).connect({ target: { ...(ir.targets.oci ?? {}) }, env, endpoint: emu.endpoints.oci });
        clients.push(c);
        return c;
      };
      return { emu, connect, close: closing(emu, clients, () => rmSync(id.dir, { recursive: true, force: true })) };
    },
  },
};

/** N copies of examples/node-webapp, each with its own name and environments (Azure shares environments by name). */
async function definitions(adapter, n) {
  const r = await validateFile(join(REPO, "examples/node-webapp/pipeglot.yaml"));
  if (!r.ir) throw new Error("examples/node-webapp does not validate");
  const base = adapter.prepare ? adapter.prepare(r.ir) : r.ir;
  const { provider } = await import(`@pipeglot/${adapter.id}`);
  return Array.from({ length: n }, (_, i) => {
    const ir = structuredClone(base);
    ir.name = `${base.name}-${String(i).padStart(4, "0")}`;
    for (const j of ir.stages.flatMap((s) => s.jobs)) if (j.environment) j.environment = `${ir.name}-${j.environment}`;
    const out = provider.compile(ir);
    const bad = out.diagnostics.find((d) => d.severity === "error");
    if (bad) throw new Error(`${adapter.id}: ${ir.name} does not compile: ${bad.code} ${bad.message}`);
    return { ir, resources: liveOf(provider).desired(out, {}) };
  });
}

/** Requests the emulator answered since the last reset, by operation. */
async function operations(emu, id) {
  const out = {};
  for (const [op, c] of Object.entries((await emu.counts())[id] ?? {})) out[op] = c.requests;
  return out;
}

/**
 * The longest path of the desired resources' dependsOn graph, each resource weighted by the round
 * trips its create makes in a row.
 */
function writeChain(resources, trips = () => 1) {
  const byKey = new Map(resources.map((r) => [`${r.key.kind}/${r.key.name}`, r]));
  const memo = new Map();
  const depth = (r) => {
    const k = `${r.key.kind}/${r.key.name}`;
    if (!memo.has(k))
      memo.set(
        k,
        trips(r.key.kind) +
          Math.max(
            0,
            ...r.dependsOn
              .map((d) => byKey.get(d))
              .filter(Boolean)
              .map(depth),
          ),
      );
    return memo.get(k);
  };
  return Math.max(0, ...resources.map(depth));
}

/** Runs `fn` and measures it: requests the emulator received, wall time, the ideal time. */
async function phase(account, id, ideal, fn) {
  await account.emu.reset(id);
  const emuCpu0 = await account.emu.cpuMs();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await fn();
  const wallMs = Math.round(performance.now() - t0);
  const { user, system } = process.cpuUsage(cpu0);
  const emulatorCpuMs = Math.round((await account.emu.cpuMs()) - emuCpu0);
  const byOperation = await operations(account.emu, id);
  const calls = Object.values(byOperation).reduce((a, b) => a + b, 0);
  return { calls, wallMs, ...ideal(calls), cpuMs: Math.round((user + system) / 1000), emulatorCpuMs, byOperation };
}

/**
 * One cloud: apply N pipelines (plan + apply each, `concurrency` at once), then a no-op plan of all N.
 * @param {string} cloud
 * @param {LiveBenchOptions} [o]
 * @returns {Promise<LiveBench>}
 */
export async function benchLive(cloud, o = {}) {
  const adapter = ADAPTERS[cloud];
  if (!adapter) throw new Error(`no live bench adapter for ${cloud}`);
  const n = o.pipelines ?? 200;
  const latencyMs = o.latencyMs ?? 50;
  const concurrency = o.concurrency ?? 16;
  const parallelism = o.parallelism ?? 4;
  const inFlight = Math.min(concurrency, n) * parallelism;
  const defs = await definitions(adapter, n);
  const waves = Math.ceil(n / concurrency);
  const ideal = (chain) => (calls) => {
    const throughputMs = Math.round((calls * latencyMs) / inFlight);
    const criticalPathMs = Math.round(chain * latencyMs * waves);
    return { idealMs: Math.max(throughputMs, criticalPathMs), throughputMs, criticalPathMs, chain };
  };
  const applyChain = adapter.readDepth.empty + writeChain(defs[0].resources, adapter.writeTrips);
  const account = await adapter.start(latencyMs);
  try {
    const shared = adapter.perPipelineClient ? undefined : await account.connect(defs[0].ir);
    const clientOf = async (d) => shared ?? (await account.connect(d.ir));
    const each = (fn) => mapLimit(defs, concurrency, fn);
    const applied = await phase(account, cloud, ideal(applyChain), () =>
      each(async (d) => {
        const client = await clientOf(d);
        const p = await plan(cloud, d.ir.name, d.resources, client);
        if (p.problems.length) throw new Error(`${cloud} ${d.ir.name}: ${p.problems[0].message}`);
        const r = await apply(p, client, { parallelism });
        const bad = r.results.find((x) => x.status !== "done" && x.status !== "unchanged");
        if (bad) throw new Error(`${cloud} apply of ${d.ir.name}: ${bad.status} ${bad.message ?? ""}`);
      }),
    );
    const noopPlan = await phase(account, cloud, ideal(adapter.readDepth.synced), () =>
      each(async (d) => {
        const p = await plan(cloud, d.ir.name, d.resources, await clientOf(d));
        if (planHasChanges(p) || p.problems.length) throw new Error(`${cloud}: the plan of ${d.ir.name} right after apply is not empty`);
      }),
    );
    return { cloud, pipelines: n, resourcesPerPipeline: defs[0].resources.length, latencyMs, concurrency, parallelism, inFlight, apply: applied, noopPlan };
  } finally {
    await account.close();
  }
}

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const ratio = (p) => `${(p.wallMs / Math.max(1, p.idealMs)).toFixed(2)}x`;

/** The table: one row per cloud, then the calls per pipeline. @param {LiveBench[]} rows */
export function liveTable(rows) {
  const head = ["cloud", "apply calls", "apply wall", "throughput", "crit. path", "ratio", "plan calls", "plan wall", "throughput", "crit. path", "ratio"];
  const bounds = (p) => [secs(p.throughputMs), `${secs(p.criticalPathMs)} (${p.chain})`];
  const cells = rows.map((r) => [
    r.cloud,
    String(r.apply.calls),
    secs(r.apply.wallMs),
    ...bounds(r.apply),
    ratio(r.apply),
    String(r.noopPlan.calls),
    secs(r.noopPlan.wallMs),
    ...bounds(r.noopPlan),
    ratio(r.noopPlan),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => "  " + c.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join("  ");
  const out = [
    line(head),
    ...cells.map(line),
    "  ratio = wall / max(throughput, critical path); crit. path = chain × L × ceil(N / concurrency), chain in parentheses (bench/live.mjs)",
    "",
  ];
  const cpu = (p, ms) => (ms / Math.max(1, p.calls)).toFixed(1);
  out.push(
    "  CPU per request, clients (this process) / emulator (its own process): " +
      rows
        .map(
          (r) =>
            `${r.cloud} apply ${cpu(r.apply, r.apply.cpuMs)}/${cpu(r.apply, r.apply.emulatorCpuMs)} ms, plan ${cpu(r.noopPlan, r.noopPlan.cpuMs)}/${cpu(r.noopPlan, r.noopPlan.emulatorCpuMs)} ms`,
        )
        .join("; "),
  );
  out.push("  per pipeline: resources it owns, then the requests of its no-op plan by operation, then of its apply");
  for (const r of rows) {
    const per = (x) => String(Math.round((x / r.pipelines) * 100) / 100); // a project-wide listing is 1/N per pipeline
    const ops = Object.entries(r.noopPlan.byOperation)
      .map(([op, v]) => `${op.replace(/^[^.]*\./, "")} ${per(v)}`)
      .join(", ");
    out.push(
      `  ${r.cloud.padEnd(widths[0])}  ${r.resourcesPerPipeline} resources; plan ${per(r.noopPlan.calls)} calls (${ops}); apply ${per(r.apply.calls)} calls`,
    );
  }
  return out.join("\n");
}
