/**
 * The engine against an in-memory client with real version semantics and injected faults.
 * (Live clients are tested through the real SDKs against @pipeglot/emulators; this tests the
 * engine's own logic: ordering, guards, pruning; its writes go through the kit's retry layer as a
 * live client's requests do.)
 */
import { describe, expect, it } from "vitest";
import { apply } from "./apply.js";
import { plan, planHasChanges } from "./plan.js";
import { renderPlan } from "./render.js";
import { LiveEdge } from "./kit/edge.js";
import {
  ConflictError,
  keyString,
  type Change,
  type DesiredResource,
  type LiveClient,
  type LiveResource,
  type ResourceKey,
  type WriteContext,
} from "./types.js";

class Throttled extends Error {}

class MemoryClient implements LiveClient {
  store = new Map<string, { key: ResourceKey; body: unknown; version: number; managed: boolean; owner?: string }>();
  /** The pipeline whose identity writes give a resource (the engine's Change carries none). */
  writer = "main";
  reads = 0;
  writes: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** The kit's edge: a Throttled write is a 429 to it. */
  readonly edge = new LiveEdge({ service: "memory", shape: (e) => (e instanceof Throttled ? { status: 429 } : {}) });
  constructor(
    private faultRate = 0,
    private seed = 1,
  ) {}
  private rand() {
    this.seed = (this.seed * 1103515245 + 12345) % 2 ** 31;
    return this.seed / 2 ** 31;
  }
  async read(keys: ResourceKey[]): Promise<(LiveResource | undefined)[]> {
    this.reads += keys.length;
    return keys.map((k) => {
      const r = this.store.get(keyString(k));
      return (
        r && {
          key: r.key,
          body: structuredClone(r.body),
          versionToken: String(r.version),
          managed: r.managed,
          ...(r.owner !== undefined ? { owner: r.owner } : {}),
        }
      );
    });
  }
  /** Like a careless client: every managed resource, whoever owns it (the engine must still keep to its own). */
  async listManaged(): Promise<ResourceKey[]> {
    return [...this.store.values()].filter((r) => r.managed).map((r) => r.key);
  }
  async write(c: Change, ctx: WriteContext): Promise<void> {
    return this.edge.call(() => this.writeOnce(c), { ...ctx, deadlineAt: Date.now() + ctx.deadline });
  }
  private async writeOnce(c: Change): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((r) => setTimeout(r, 2));
      if (this.rand() < this.faultRate) throw new Throttled("ThrottlingException");
      const k = keyString(c.key);
      const cur = this.store.get(k);
      if (c.action !== "create" && String(cur?.version) !== c.versionToken) throw new ConflictError(`version is ${cur?.version}, plan read ${c.versionToken}`);
      if (c.action === "create" && cur) throw new ConflictError("already exists");
      if (c.action === "delete") this.store.delete(k);
      else this.store.set(k, { key: c.key, body: structuredClone(c.after), version: (cur?.version ?? 0) + 1, managed: true, owner: this.writer });
      this.writes.push(`${c.action} ${k}`);
    } finally {
      this.inFlight--;
    }
  }
  retryable(e: unknown) {
    return this.edge.retryable(e);
  }
}

const desired = (n: number, extra = ""): DesiredResource[] => [
  ...Array.from({ length: n }, (_, i) => ({
    key: { kind: "project", name: `p${i}` },
    body: { image: "node:20", steps: [`echo ${i}${extra}`] },
    dependsOn: [],
  })),
  {
    key: { kind: "pipeline", name: "main" },
    body: { stages: Array.from({ length: n }, (_, i) => `p${i}`) },
    dependsOn: Array.from({ length: n }, (_, i) => `project/p${i}`),
  },
];

const fast = { minBackoffMs: 1, maxBackoffMs: 5 };

describe("plan/apply engine", () => {
  it("create → no perpetual diff → exact diff for an edit → apply → clean", async () => {
    const c = new MemoryClient();
    const p1 = await plan("aws", "main", desired(3), c);
    expect(p1.changes.map((x) => x.action)).toEqual(["create", "create", "create", "create"]);
    const r1 = await apply(p1, c, fast);
    expect(r1.ok).toBe(true);
    // the pipeline waited for its projects
    expect(c.writes[c.writes.length - 1]).toBe("create pipeline/main");
    const p2 = await plan("aws", "main", desired(3), c);
    expect(planHasChanges(p2)).toBe(false);
    const edited = desired(3);
    (edited[1]!.body as { image: string }).image = "node:22";
    const p3 = await plan("aws", "main", edited, c);
    expect(p3.changes.filter((x) => x.action !== "noop").map((x) => keyString(x.key))).toEqual(["project/p1"]);
    expect(p3.changes[1]!.diff).toEqual([{ path: ["image"], type: "change", before: "node:20", after: "node:22" }]);
    expect(renderPlan(p3)).toContain('~ .image: "node:20" → "node:22"');
    expect((await apply(p3, c, fast)).ok).toBe(true);
    expect(planHasChanges(await plan("aws", "main", edited, c))).toBe(false);
  });

  it("makes one read per desired resource", async () => {
    const c = new MemoryClient();
    await plan("aws", "main", desired(10), c);
    expect(c.reads).toBe(11);
  });

  it("a concurrent change between plan and apply is a conflict: nothing overwritten, dependents skipped", async () => {
    const c = new MemoryClient();
    await apply(await plan("aws", "main", desired(2), c), c, fast);
    const p = await plan("aws", "main", desired(2, " v2"), c);
    const k = "project/p0";
    c.store.get(k)!.body = { image: "someone-else" };
    c.store.get(k)!.version++;
    const r = await apply(p, c, fast);
    expect(r.ok).toBe(false);
    const byKey = Object.fromEntries(r.results.map((x) => [keyString(x.key), x.status]));
    expect(byKey).toEqual({ "project/p0": "conflict", "project/p1": "done", "pipeline/main": "unchanged" });
    expect(c.store.get(k)!.body).toEqual({ image: "someone-else" });
    expect(r.results[0]!.message).toContain("changed since the plan read it");
  });

  it("survives a 30% throttling storm with the same final state", async () => {
    const calm = new MemoryClient();
    await apply(await plan("aws", "main", desired(20), calm), calm, fast);
    const stormy = new MemoryClient(0.3, 7);
    const r = await apply(await plan("aws", "main", desired(20), stormy), stormy, { ...fast, retries: 20 });
    expect(r.ok).toBe(true);
    expect(stormy.edge.requests).toBeGreaterThan(r.results.filter((x) => x.status === "done").length);
    const state = (m: MemoryClient) => [...m.store.entries()].map(([k, v]) => [k, v.body]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(state(stormy)).toEqual(state(calm));
  });

  it("respects the parallelism limit", async () => {
    const c = new MemoryClient();
    await apply(await plan("aws", "main", desired(30), c), c, { ...fast, parallelism: 3 });
    expect(c.maxInFlight).toBeLessThanOrEqual(3);
    expect(c.maxInFlight).toBeGreaterThan(1);
  });

  it("--prune deletes owned resources that left the definition, never unowned ones", async () => {
    const c = new MemoryClient();
    await apply(await plan("aws", "main", desired(3), c), c, fast);
    c.store.set("project/foreign", { key: { kind: "project", name: "foreign" }, body: {}, version: 1, managed: false });
    const smaller = desired(2);
    const withoutPrune = await plan("aws", "main", smaller, c);
    expect(withoutPrune.changes.some((x) => x.action === "delete")).toBe(false);
    const p = await plan("aws", "main", smaller, c, { prune: true });
    expect(p.changes.filter((x) => x.action === "delete").map((x) => keyString(x.key))).toEqual(["project/p2"]);
    expect((await apply(p, c, fast)).ok).toBe(true);
    expect(c.store.has("project/foreign")).toBe(true);
    expect(c.store.has("project/p2")).toBe(false);
  });

  it("--prune never deletes what the live pipeline may still use: a conflicting update skips the delete", async () => {
    const c = new MemoryClient();
    await apply(await plan("aws", "main", desired(3), c), c, fast);
    const p = await plan("aws", "main", desired(2), c, { prune: true });
    expect(p.changes.map((x) => `${x.action} ${keyString(x.key)}`)).toContain("delete project/p2");
    // Someone else updates the pipeline between plan and apply: it still names p2.
    c.store.get("pipeline/main")!.version++;
    const r = await apply(p, c, fast);
    const byKey = Object.fromEntries(r.results.map((x) => [keyString(x.key), x.status]));
    expect(byKey["pipeline/main"]).toBe("conflict");
    expect(byKey["project/p2"]).toBe("skipped");
    expect(r.results.find((x) => keyString(x.key) === "project/p2")!.message).toMatch(/not deleted: pipeline\/main conflict/);
    expect(c.store.has("project/p2")).toBe(true);
  });

  it("refuses to touch a resource it does not own", async () => {
    const c = new MemoryClient();
    c.store.set("pipeline/main", { key: { kind: "pipeline", name: "main" }, body: {}, version: 4, managed: false });
    const p = await plan("aws", "main", desired(1), c);
    expect(p.problems.map((x) => keyString(x.key))).toEqual(["pipeline/main"]);
    expect(p.changes.map((x) => keyString(x.key))).toEqual(["project/p0"]);
  });

  it("gives up at the deadline and reports every resource", async () => {
    const c = new MemoryClient(1);
    const r = await apply(await plan("aws", "main", desired(2), c), c, { ...fast, deadlineMs: 50, retries: 1000 });
    expect(r.ok).toBe(false);
    expect(r.results).toHaveLength(3);
    expect(r.results.map((x) => x.status)).toEqual(["failed", "failed", "skipped"]);
  });

  describe("ownership is per pipeline", () => {
    const one = (name: string, body: unknown, extra: Partial<DesiredResource> = {}): DesiredResource => ({
      key: { kind: "project", name },
      body,
      dependsOn: [],
      ...extra,
    });

    it("a resource of another pipeline is a problem naming both pipelines, never an update", async () => {
      const c = new MemoryClient();
      c.store.set("project/shop-web-build-x", {
        key: { kind: "project", name: "shop-web-build-x" },
        body: { run: "web" },
        version: 3,
        managed: true,
        owner: "shop-web",
      });
      const p = await plan("aws", "shop", [one("shop-web-build-x", { run: "shop" })], c);
      expect(p.changes).toEqual([]);
      expect(p.problems).toHaveLength(1);
      expect(p.problems[0]!.key).toEqual({ kind: "project", name: "shop-web-build-x" });
      expect(p.problems[0]!.message).toMatch(/belongs to pipeline "shop-web", not to pipeline "shop"/);
      // Even with an equal body: it is not this pipeline's to own.
      const same = await plan("aws", "shop", [one("shop-web-build-x", { run: "web" })], c);
      expect(same.problems).toHaveLength(1);
    });

    it("a managed resource without a pipeline identity is a problem unless the client attributes it", async () => {
      const c = new MemoryClient();
      c.store.set("project/old", { key: { kind: "project", name: "old" }, body: {}, version: 1, managed: true });
      const p = await plan("aws", "main", [one("old", { a: 1 })], c);
      expect(p.changes).toEqual([]);
      expect(p.problems[0]!.message).toMatch(/no pipeline identity .* pipeline "main"/);
    });

    it("--prune deletes only this pipeline's resources, even when the client lists others'", async () => {
      const c = new MemoryClient();
      await apply(await plan("aws", "main", desired(2), c), c, fast);
      c.store.set("project/theirs", { key: { kind: "project", name: "theirs" }, body: {}, version: 1, managed: true, owner: "other" });
      c.store.set("project/legacy", { key: { kind: "project", name: "legacy" }, body: {}, version: 1, managed: true });
      const p = await plan("aws", "main", desired(1), c, { prune: true });
      expect(p.changes.filter((x) => x.action === "delete").map((x) => keyString(x.key))).toEqual(["project/p1"]);
    });

    it("a shared resource is used as it is ('as-is'), or only while equal ('if-equal'); a missing child of another's parent is a problem", async () => {
      const c = new MemoryClient();
      c.store.set("env/prod", { key: { kind: "env", name: "prod" }, body: { description: "of a" }, version: 1, managed: true, owner: "a" });
      c.store.set("check/prod", { key: { kind: "check", name: "prod" }, body: { approvers: ["x"] }, version: 1, managed: true, owner: "a" });
      const env: DesiredResource = { key: { kind: "env", name: "prod" }, body: { description: "of b" }, dependsOn: [], shared: "as-is" };
      const check = (approvers: string[]): DesiredResource => ({
        key: { kind: "check", name: "prod" },
        body: { approvers },
        dependsOn: ["env/prod"],
        shared: "if-equal",
        ownedWith: "env/prod",
      });
      const same = await plan("azure", "b", [env, check(["x"])], c);
      expect(same.problems).toEqual([]);
      expect(same.changes.map((x) => [x.action, x.reason])).toEqual([
        ["noop", 'belongs to pipeline "a"; used as it is'],
        ["noop", 'belongs to pipeline "a"; used as it is'],
      ]);
      const other = await plan("azure", "b", [env, check(["y"])], c);
      expect(other.problems.map((x) => x.message)).toEqual([
        expect.stringMatching(/check\/prod belongs to pipeline "a", which shares it with pipeline "b"; pipeline "b" asks for a different one/),
      ]);
      c.store.delete("check/prod");
      const missing = await plan("azure", "b", [env, check(["y"])], c);
      expect(missing.changes.map((x) => x.action)).toEqual(["noop"]);
      expect(missing.problems.map((x) => x.message)).toEqual([
        expect.stringMatching(/check\/prod does not exist, and env\/prod belongs to pipeline "a": pipeline "b" may not add it/),
      ]);
      // The owner itself creates it.
      const owner = await plan("azure", "a", [{ ...env, body: { description: "of a" } }, check(["y"])], c);
      expect(owner.changes.map((x) => x.action)).toEqual(["noop", "create"]);
    });
  });
});
