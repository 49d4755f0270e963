/**
 * Azure live sync through the real azure-devops-node-api 17 against the Azure DevOps emulator:
 * create → empty plan → edit → exact diff → apply → clean; conflicts; throttling and 5xx storms;
 * prune; the YAML check and push; pull round trip; no token in any output; call counts.
 */
import { apply, plan, planHasChanges, renderApply, renderPlan, type ApplyResult, type Plan } from "@pipeglot/core";
import { importFiles, live } from "@pipeglot/azure";
import { afterEach, describe, expect, it } from "vitest";
import { APPROVER, compileOk, FAKE_TOKEN, PROJECT, shopIR, world, yamlOf, type World } from "./helpers.js";

const { desiredResources, checkYamlCommitted, preflight, pull } = live;
const worlds: World[] = [];
const open = async (o?: Parameters<typeof world>[0]) => {
  const w = await world(o);
  worlds.push(w);
  return w;
};
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.emu.close()));
});

const summary = (p: Plan) => p.changes.map((c) => `${c.action} ${c.key.kind}/${c.key.name}`).sort();

describe("azure live sync against the emulator", () => {
  it("create, then an empty plan, then an edit gives the exact diff, then apply, then clean", async () => {
    const w = await open();
    const ir = await shopIR();
    const out = compileOk(ir);
    const desired = desiredResources(out);
    const client = await w.client();

    const p1 = await plan("azure", ir.name, desired, client);
    expect(summary(p1)).toEqual([
      "create azure.BuildDefinition/shop-web",
      "create azure.CheckConfiguration/production",
      "create azure.Environment/production",
      "create azure.Environment/staging",
    ]);
    const r1 = await apply(p1, client);
    expect(r1.results.map((r) => r.status)).toEqual(["done", "done", "done", "done"]);

    const state = w.emu.azure.state().find((p) => p.name === PROJECT)!;
    const def = state.definitions[0]!;
    expect(def).toMatchObject({ name: "shop-web", path: "\\pipeglot", revision: 1, process: { type: 2, yamlFilename: "azure-pipelines.yml" } });
    expect((def.repository as { id: string }).id).toBe(state.repositories[0]!.id); // TfsGit repository resolved to its id
    expect(def.properties).toMatchObject({ "pipeglot.managedBy": "pipeglot", "pipeglot.pipeline": "shop-web" });
    expect(state.checks[0]).toMatchObject({
      resource: { type: "environment", id: String(state.environments.find((e) => e.name === "production")!.id) },
      settings: { approvers: [{ id: APPROVER }] },
    });

    // A fresh client (a new process) sees nothing to do: no perpetual diff.
    const p2 = await plan("azure", ir.name, desired, await w.client());
    expect(planHasChanges(p2)).toBe(false);
    expect(p2.problems).toEqual([]);

    // Edit: new description, approval instructions, one more environment for a new job.
    ir.description = "Storefront (Node.js 22)";
    const prod = ir.stages.find((s) => s.approval)!;
    prod.approval!.instructions = "Look at the dashboards first.";
    const out2 = compileOk(ir);
    const c3 = await w.client();
    const p3 = await plan("azure", ir.name, desiredResources(out2), c3);
    const upd = p3.changes.filter((c) => c.action !== "noop");
    expect(upd.map((c) => `${c.action} ${c.key.name}`).sort()).toEqual(["update production", "update shop-web"]);
    const defChange = upd.find((c) => c.key.kind === "azure.BuildDefinition")!;
    // The YAML is unchanged (description and check settings are not in it), so its hash tag is too.
    expect(defChange.diff).toEqual([{ path: ["description"], type: "change", before: "Storefront web app (Node.js 20)", after: "Storefront (Node.js 22)" }]);
    expect(defChange.versionToken).toBe("1");
    const checkChange = upd.find((c) => c.key.kind === "azure.CheckConfiguration")!;
    expect(checkChange.diff).toEqual([
      { path: ["settings", "instructions"], type: "change", before: "Check the staging smoke tests before approving.", after: "Look at the dashboards first." },
    ]);

    const r3 = await apply(p3, c3);
    expect(r3.ok).toBe(true);
    const after = w.emu.azure.state().find((p) => p.name === PROJECT)!;
    expect(after.definitions[0]).toMatchObject({ revision: 2, description: "Storefront (Node.js 22)" });
    expect(after.checks[0]).toMatchObject({ version: 2 });
    expect(planHasChanges(await plan("azure", ir.name, desiredResources(out2), await w.client()))).toBe(false);
  });

  it("an out-of-band edit between plan and apply is a conflict and nothing is overwritten", async () => {
    const w = await open();
    const ir = await shopIR();
    const client = await w.client();
    await apply(await plan("azure", ir.name, desiredResources(compileOk(ir)), client), client);

    ir.description = "pipeglot's new description";
    const p = await plan("azure", ir.name, desiredResources(compileOk(ir)), client);
    // Someone edits the definition and the check in the portal meanwhile.
    w.emu.azure.mutateDefinition(PROJECT, "shop-web", (d) => {
      d.description = "edited in the portal";
    });
    const checkId = Number(w.emu.azure.state()[0]!.checks[0]!.id);
    w.emu.azure.mutateCheck(PROJECT, checkId, (c) => {
      c.timeout = 60;
    });
    ir.stages.find((s) => s.approval)!.approval!.timeoutSeconds = 7200;
    const p2 = await plan("azure", ir.name, desiredResources(compileOk(ir)), client);
    w.emu.azure.mutateCheck(PROJECT, checkId, (c) => {
      c.timeout = 90;
    });

    w.emu.azure.counters.reset();
    const r = await apply(p, client);
    const def = r.results.find((x) => x.key.kind === "azure.BuildDefinition")!;
    expect(def.status).toBe("conflict");
    expect(def.message).toMatch(/changed since the plan read it \(at version 2, the plan read 1\); nothing was written\. Run plan again\./);
    expect(w.emu.azure.state()[0]!.definitions[0]).toMatchObject({ description: "edited in the portal", revision: 2 });
    expect(w.emu.azure.counters.get("Build.UpdateDefinition").requests).toBe(0);

    // p2 was planned after the portal edit of the definition (so it may overwrite that, shown in its diff),
    // but before the second edit of the check.
    const r2 = await apply(p2, client);
    expect(r2.results.find((x) => x.key.kind === "azure.CheckConfiguration")!.status).toBe("conflict");
    expect(w.emu.azure.state()[0]!.checks[0]).toMatchObject({ timeout: 90, version: 3 });
    expect(w.emu.azure.counters.get("Checks.UpdateCheckConfiguration").requests).toBe(0);
  });

  it("the server's own stale-revision answer (404, resolved as null by the SDK; or 409) is a conflict too", async () => {
    for (const status of [404, 409] as const) {
      const w = await open({ azureStaleRevisionStatus: status });
      const ir = await shopIR();
      const client = await w.client();
      await apply(await plan("azure", ir.name, desiredResources(compileOk(ir)), client), client);
      ir.description = "x";
      const p = await plan("azure", ir.name, desiredResources(compileOk(ir)), client);
      const change = p.changes.find((c) => c.key.kind === "azure.BuildDefinition")!;
      // Race: the edit lands after the client's guard read and before its PUT.
      const build = await client.apis.build();
      const realUpdate = build.updateDefinition.bind(build);
      build.updateDefinition = (async (...args: Parameters<typeof realUpdate>) => {
        w.emu.azure.mutateDefinition(PROJECT, "shop-web", (d) => {
          d.description = "raced";
        });
        return realUpdate(...args);
      }) as typeof realUpdate;
      try {
        await expect(client.write(change, { deadline: 30_000 })).rejects.toMatchObject({ name: "ConflictError" });
      } finally {
        build.updateDefinition = realUpdate;
      }
      expect(w.emu.azure.state()[0]!.definitions[0]).toMatchObject({ description: "raced", revision: 2 });
      expect(w.emu.azure.counters.get("Build.UpdateDefinition")).toMatchObject({ requests: 1, clientErrors: 1 });
    }
  });

  it("429 storms with Retry-After and 5xx/drop storms end in the same state as a calm run", async () => {
    const ir = await shopIR();
    const out = compileOk(ir);
    const calm = await open();
    const cc = await calm.client();
    await apply(await plan("azure", ir.name, desiredResources(out), cc), cc);
    const strip = (w: World) =>
      w.emu.azure.state().map((p) => ({
        definitions: p.definitions.map(({ name, path, revision, process, tags, description, triggers, properties }) => ({
          name,
          path,
          revision,
          process,
          tags,
          description,
          triggers,
          properties,
        })),
        // creation order (hence ids) depends on which concurrent write got through first
        environments: p.environments.map(({ name, description }) => ({ name, description })).sort((a, b) => String(a.name).localeCompare(String(b.name))),
        checks: p.checks.map(({ settings, timeout, version }) => ({ settings, timeout, version })),
      }));

    for (const faults of [{ throttleRate: 0.3 }, { errorRate: 0.25, dropRate: 0.05 }]) {
      const w = await open({ azureRetryAfterSeconds: 1, seed: 11 });
      const client = await w.client();
      w.emu.setFaults(faults);
      const started = Date.now();
      const p = await plan("azure", ir.name, desiredResources(out), client);
      const r: ApplyResult = await apply(p, client, { minBackoffMs: 10, maxBackoffMs: 100 });
      expect(r.ok, renderApply(r)).toBe(true);
      expect(planHasChanges(await plan("azure", ir.name, desiredResources(out), client))).toBe(false);
      w.emu.setFaults({ throttleRate: 0, errorRate: 0, dropRate: 0 });
      expect(strip(w)).toEqual(strip(calm));
      const counts = Object.values(w.emu.azure.counters.snapshot());
      const throttled = counts.reduce((n, c) => n + c.throttled, 0);
      const failed = counts.reduce((n, c) => n + c.serverErrors + c.dropped, 0);
      if (faults.throttleRate) {
        expect(throttled).toBeGreaterThan(0);
        // Each 429 said Retry-After: 1 and the client waited for it (waits of concurrent writes overlap).
        expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      } else expect(failed).toBeGreaterThan(0);
    }
  });

  it("prune deletes only what this pipeline owns", async () => {
    const w = await open();
    const ir = await shopIR();
    const client = await w.client();
    await apply(await plan("azure", ir.name, desiredResources(compileOk(ir)), client), client);
    // Another pipeline's definition and environment, and things pipeglot does not own.
    const other = structuredClone(ir);
    other.name = "shop-admin";
    for (const s of other.stages) for (const j of s.jobs) if (j.environment) j.environment = `admin-${j.environment}`;
    await apply(await plan("azure", other.name, desiredResources(compileOk(other)), client), client);
    const web = w.emu.azure;
    const build = await client.apis.build();
    await build.createDefinition(
      {
        name: "hand-made",
        path: "\\pipeglot",
        process: { type: 2, yamlFilename: "x.yml" } as never,
        repository: { type: "TfsGit", name: "shop-web" },
        tags: [],
      },
      PROJECT,
    );
    const ta = await client.apis.taskAgent();
    await ta.addEnvironment({ name: "legacy", description: "made by hand" }, PROJECT);

    // The pipeline drops its production deployment: environments are shared, so prune keeps the
    // environment and its check (another pipeline may deploy there; see the azure live README).
    const trimmed = structuredClone(ir);
    trimmed.stages = trimmed.stages.filter((s) => !s.approval);
    const p = await plan("azure", ir.name, desiredResources(compileOk(trimmed)), client, { prune: true });
    expect(p.changes.filter((c) => c.action === "delete").map((c) => `${c.key.kind}/${c.key.name}`)).toEqual([]);
    // It keeps deploying to production but drops the approval: the owner's prune deletes its check.
    const ungated = structuredClone(ir);
    for (const s of ungated.stages) delete s.approval;
    const p2 = await plan("azure", ir.name, desiredResources(compileOk(ungated)), client, { prune: true });
    expect(p2.changes.filter((c) => c.action === "delete").map((c) => `${c.key.kind}/${c.key.name}`)).toEqual(["azure.CheckConfiguration/production"]);
    const r = await apply(p2, client);
    expect(r.ok, renderApply(r)).toBe(true);
    const state = web.state()[0]!;
    expect(state.definitions.map((d) => d.name).sort()).toEqual(["hand-made", "shop-admin", "shop-web"]);
    expect(state.environments.map((e) => e.name).sort()).toEqual(["admin-production", "admin-staging", "legacy", "production", "staging"]);
    expect(state.checks.map((c) => (c.resource as { name: string }).name)).toEqual(["admin-production"]);
  });

  it("a definition of the same name that pipeglot does not own is a plan problem, never changed", async () => {
    const w = await open();
    const ir = await shopIR();
    const client = await w.client();
    const build = await client.apis.build();
    await build.createDefinition(
      { name: "shop-web", path: "\\team", process: { type: 2, yamlFilename: "ci.yml" } as never, repository: { type: "TfsGit", name: "shop-web" } },
      PROJECT,
    );
    const p = await plan("azure", ir.name, desiredResources(compileOk(ir)), client);
    expect(p.problems.map((x) => x.key.name)).toEqual(["shop-web"]);
    expect(p.changes.some((c) => c.key.kind === "azure.BuildDefinition")).toBe(false);
  });

  it("without --push-yaml: says exactly what to commit; with it: pushes, and the definition follows", async () => {
    const w = await open();
    const ir = await shopIR();
    const out = compileOk(ir);
    const client = await w.client();
    const missing = await checkYamlCommitted(client, out);
    expect(missing).toMatchObject({ status: "missing", path: "azure-pipelines.yml", repository: "shop-web", branch: "refs/heads/main" });
    expect(missing.message).toContain(`sha256 ${missing.sha256}`);
    expect(missing.blobId).toMatch(/^[0-9a-f]{40}$/);
    const problems = await preflight(client, out);
    expect(problems).toEqual([{ key: { kind: "azure.PipelineYaml", name: "shop-web@main:azure-pipelines.yml" }, message: missing.message }]);

    w.emu.azure.commitFiles(PROJECT, "shop-web", { "/azure-pipelines.yml": "trigger: none\n" });
    expect((await checkYamlCommitted(client, out)).status).toBe("differs");
    w.emu.azure.commitFiles(PROJECT, "shop-web", { "/azure-pipelines.yml": yamlOf(out) });
    const ok = await checkYamlCommitted(client, out);
    expect(ok).toMatchObject({ status: "committed", liveBlobId: ok.blobId });
    expect(await preflight(client, out)).toEqual([]);

    // --push-yaml: the YAML is a resource; a plan shows its diff, apply pushes a commit.
    ir.variables.NODE_ENV = { ...ir.variables.NODE_ENV!, default: "staging" };
    const out2 = compileOk(ir);
    const pushing = await w.client({ pushYaml: true });
    const d = desiredResources(out2, { pushYaml: true });
    expect(d.at(-1)!.dependsOn).toEqual(["azure.PipelineYaml/shop-web@main:azure-pipelines.yml"]);
    const p = await plan("azure", ir.name, d, pushing);
    expect(p.changes.find((c) => c.key.kind === "azure.PipelineYaml")!.action).toBe("update");
    const r = await apply(p, pushing);
    expect(r.ok, renderApply(r)).toBe(true);
    const repo = w.emu.azure.state()[0]!.repositories[0]!;
    expect(repo.files["/azure-pipelines.yml"]).toBe(yamlOf(out2));
    expect(planHasChanges(await plan("azure", ir.name, d, pushing))).toBe(false);
    expect((await checkYamlCommitted(pushing, out2)).status).toBe("committed");
  });

  it("a GitHub repository: the service connection placeholder resolves by name and reads back as the placeholder", async () => {
    const w = await open();
    const ir = await shopIR();
    ir.source = { repository: "acme/shop-web", branch: "main", provider: "github" };
    const sc = w.emu.azure.addServiceEndpoint(PROJECT, "github");
    const out = compileOk(ir);
    const client = await w.client();
    const r = await apply(await plan("azure", ir.name, desiredResources(out), client), client);
    expect(r.ok, renderApply(r)).toBe(true);
    const def = w.emu.azure.state()[0]!.definitions[0]!;
    expect((def.repository as { properties: Record<string, string> }).properties.connectedServiceId).toBe(sc.id);
    expect(planHasChanges(await plan("azure", ir.name, desiredResources(out), await w.client()))).toBe(false);
    expect((await checkYamlCommitted(client, out)).status).toBe("unverifiable");
  });

  it("pull reads back files that import to the same pipeline as the compiled ones", async () => {
    const w = await open();
    const ir = await shopIR();
    const out = compileOk(ir);
    const client = await w.client({ pushYaml: true });
    const r = await apply(await plan("azure", ir.name, desiredResources(out, { pushYaml: true }), client), client);
    expect(r.ok, renderApply(r)).toBe(true);

    const files = await pull(await w.client(), "shop-web");
    expect(files.map((f) => f.path)).toEqual([
      "azure-pipelines.yml",
      "checks/production.json",
      "definition.json",
      "environments/production.json",
      "environments/staging.json",
    ]);
    const compiled = new Map(out.files.map((f) => [f.path, f.content]));
    expect(files.find((f) => f.path === "azure-pipelines.yml")!.content).toBe(compiled.get("azure-pipelines.yml"));
    for (const p of ["checks/production.json", "environments/production.json", "environments/staging.json"])
      expect(JSON.parse(files.find((f) => f.path === p)!.content)).toEqual(JSON.parse(compiled.get(p)!));
    // Documented loss of definition.json: the Azure Repos URL (the server's own, not derived from targets.azure.organization).
    const pulledDef = JSON.parse(files.find((f) => f.path === "definition.json")!.content);
    const compiledDef = JSON.parse(compiled.get("definition.json")!);
    delete compiledDef.repository.url;
    expect(pulledDef).toEqual(compiledDef);

    const fromLive = importFiles(files);
    const fromCompile = importFiles(out.files.map((f) => ({ path: f.path, content: f.content })));
    expect(fromLive.pipeline).toBeDefined();
    expect(fromLive.pipeline).toEqual(fromCompile.pipeline);
    expect(fromLive.pipeline!.stages.find((s) => s.approval)!.approval!.approvers).toEqual([APPROVER]);
  });

  it("the token never appears in plans, results, errors or messages", async () => {
    const w = await open();
    const ir = await shopIR();
    ir.source = { repository: "acme/shop-web", branch: "main", provider: "github" }; // no service connection: the write fails
    const client = await w.client();
    const texts: string[] = [];
    const p = await plan("azure", ir.name, desiredResources(compileOk(ir)), client);
    texts.push(renderPlan(p), JSON.stringify(p));
    const r = await apply(p, client, { retries: 0 });
    texts.push(renderApply(r), JSON.stringify(r));
    expect(r.results.find((x) => x.key.kind === "azure.BuildDefinition")!.status).toBe("failed");
    // An error from the API itself (401 without a token is impossible here: force a bad request).
    const build = await client.apis.build();
    const err = await client.call("create", () => build.createDefinition({ name: "bad" } as never, PROJECT)).catch((e: Error) => e);
    texts.push(String(err), JSON.stringify(err), (err as Error).stack ?? "");
    // Configuration errors name the variable, not the value.
    const cfgErr = await live.connectAzure({ target: { project: PROJECT }, env: { AZURE_DEVOPS_ORG_URL: w.emu.azure.organizationUrl } }).catch((e: Error) => e);
    expect(String(cfgErr)).toMatch(/AZURE_DEVOPS_TOKEN/);
    texts.push(String(cfgErr), JSON.stringify(await pull(client, "nope").catch((e: Error) => String(e))));
    const all = texts.join("\n");
    expect(all.length).toBeGreaterThan(500);
    for (const needle of [FAKE_TOKEN, Buffer.from(`:${FAKE_TOKEN}`).toString("base64"), FAKE_TOKEN.slice(6, 26)]) expect(all).not.toContain(needle);
    // The redactor itself: a message that did contain the token comes out without it.
    expect(client.redact.text(`x ${FAKE_TOKEN} y`)).toBe("x <AZURE_DEVOPS_TOKEN> y");
  });

  it("a no-op plan reads each resource once (plus the client's one-time location calls)", async () => {
    const w = await open();
    const ir = await shopIR();
    const out = compileOk(ir);
    const c0 = await w.client();
    await apply(await plan("azure", ir.name, desiredResources(out), c0), c0);
    w.emu.azure.counters.reset();
    const client = await w.client();
    const p = await plan("azure", ir.name, desiredResources(out), client);
    expect(planHasChanges(p)).toBe(false);
    const counts = Object.fromEntries(Object.entries(w.emu.azure.counters.snapshot()).map(([k, v]) => [k, v.requests]));
    expect(counts).toEqual({
      // one read per resource: 1 definition, 2 environments, 1 check (+1 for staging, which has none)
      "Build.GetDefinitions": 1,
      "TaskAgent.GetEnvironments": 2,
      "Checks.GetCheckConfigurations": 1,
      // once per client: resource areas (through the Location area) and each area's locations
      "Location.Options.location": 1,
      "Location.GetResourceAreas": 1,
      "Location.Options.build": 1,
      "Location.Options.distributedtask": 1,
    });
  });
});
