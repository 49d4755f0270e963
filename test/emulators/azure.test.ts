/**
 * The Azure DevOps emulator through the real azure-devops-node-api 17: location negotiation,
 * definitions with revision checks, tags, properties, environments, checks (raw REST as the
 * client sends it), Git pushes and item reads, faults (429 + Retry-After), counters, auth.
 */
import { createHash } from "node:crypto";
import * as azdev from "azure-devops-node-api";
import { startEmulators, type Emulators } from "@pipeglot/emulators";
import { afterEach, describe, expect, it } from "vitest";

const open: Emulators[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});
async function start(o: Parameters<typeof startEmulators>[0] = {}) {
  const emu = await startEmulators({ providers: ["azure"], ...o });
  open.push(emu);
  const web = new azdev.WebApi(emu.azure.organizationUrl, azdev.getPersonalAccessTokenHandler("emulator-token"));
  return { emu, web };
}
const yamlDef = (repo: { id: string }, extra: Record<string, unknown> = {}) => ({
  name: "app",
  path: "\\pipeglot",
  process: { type: 2, yamlFilename: "azure-pipelines.yml" },
  repository: { type: "TfsGit", id: repo.id, name: "app", defaultBranch: "refs/heads/main" },
  queue: { name: "Azure Pipelines" },
  tags: ["managed-by-pipeglot"],
  ...extra,
});
const text = async (s: NodeJS.ReadableStream) => {
  let t = "";
  for await (const c of s) t += String(c);
  return t;
};

describe("Azure DevOps emulator", () => {
  it("serves the location calls the client makes first and negotiates api-version 7.2-preview", async () => {
    const { emu, web } = await start();
    const repo = emu.azure.addRepository("p", "app");
    const build = await web.getBuildApi();
    await build.createDefinition(yamlDef(repo) as never, "p");
    await build.getDefinitions("p");
    const c = emu.azure.counters.snapshot();
    expect(c["Location.Options.location"]!.requests).toBe(1);
    expect(c["Location.GetResourceAreas"]!.requests).toBe(1);
    expect(c["Location.Options.build"]!.requests).toBe(1); // cached per area afterwards
    expect(c["Build.CreateDefinition"]!.ok).toBe(1);
    // Without an api-version the service refuses, as Azure DevOps does.
    const res = await fetch(`${emu.azure.organizationUrl}/p/_apis/build/definitions`, { headers: { authorization: "Basic eDp5" } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ typeKey: "VssVersionNotSpecifiedException" });
    // Without credentials: 401.
    expect((await fetch(`${emu.azure.organizationUrl}/p/_apis/build/definitions?api-version=7.1`)).status).toBe(401);
  });

  it("definitions: server-filled fields, list filters, revision guard (404 as reported; 409 on request), delete", async () => {
    for (const stale of [404, 409] as const) {
      const { emu, web } = await start({ azureStaleRevisionStatus: stale });
      const repo = emu.azure.addRepository("p", "app");
      const build = await web.getBuildApi();
      const d = await build.createDefinition(yamlDef(repo) as never, "p");
      expect(d).toMatchObject({
        id: 1,
        revision: 1,
        path: "\\pipeglot",
        uri: "vstfs:///Build/Definition/1",
        jobTimeoutInMinutes: 60,
        repository: { id: repo.id, checkoutSubmodules: false },
      });
      expect(d.queue).toMatchObject({ id: 1, name: "Azure Pipelines", pool: { isHosted: true } });
      expect(d.authoredBy?.displayName).toBe("pipeglot emulator");
      // The SDK turns enum names into numbers (formatResponse): type build = 2, quality definition = 1.
      expect(d.type).toBe(2);
      // Same name in the same folder: DefinitionExistsException.
      await expect(build.createDefinition(yamlDef(repo) as never, "p")).rejects.toMatchObject({
        statusCode: 409,
        result: { typeKey: "DefinitionExistsException" },
      });
      await expect(build.createDefinition(yamlDef(repo, { name: "other", repository: { type: "TfsGit", name: "nope" } }) as never, "p")).rejects.toMatchObject({
        statusCode: 400,
      });
      await build.createDefinition(yamlDef(repo, { name: "elsewhere", path: "\\team" }) as never, "p");
      expect(
        (await build.getDefinitions("p", undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, "\\pipeglot")).map(
          (x) => x.name,
        ),
      ).toEqual(["app"]);
      const full = await build.getDefinitions(
        "p",
        "app",
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        true,
      );
      expect((full[0] as { process?: unknown }).process).toEqual({ type: 2, yamlFilename: "azure-pipelines.yml" });

      const u = await build.updateDefinition({ ...d, description: "v2" }, "p", d.id!);
      expect(u).toMatchObject({ revision: 2, description: "v2" });
      await expect(build.updateDefinition({ ...d, id: 99 }, "p", d.id!)).rejects.toMatchObject({
        statusCode: 400,
        message: `The request specifies pipeline ID ${d.id} but the supplied pipeline has ID 99.`,
      });
      if (stale === 404) {
        // typed-rest-client resolves a 404 with a null result: a stale update returns null.
        expect(await build.updateDefinition({ ...d, description: "stale" }, "p", d.id!)).toBeNull();
      } else {
        await expect(build.updateDefinition({ ...d, description: "stale" }, "p", d.id!)).rejects.toMatchObject({
          statusCode: 409,
          result: { typeKey: "DefinitionNotMatchedException" },
        });
      }
      expect(emu.azure.state()[0]!.definitions[0]).toMatchObject({ revision: 2, description: "v2" });
      expect((await build.getDefinition("p", d.id!, 1))?.description).toBeUndefined();
      emu.azure.mutateDefinition("p", "app", (x) => {
        x.description = "portal";
      });
      expect((await build.getDefinition("p", d.id!))?.revision).toBe(3);
      await build.deleteDefinition("p", d.id!);
      expect(await build.getDefinition("p", d.id!)).toBeNull();
    }
  });

  it("tags and properties (JSON patch) do not create revisions", async () => {
    const { emu, web } = await start();
    const repo = emu.azure.addRepository("p", "app");
    const build = await web.getBuildApi();
    const d = await build.createDefinition(yamlDef(repo) as never, "p");
    expect(await build.addDefinitionTags(["b", "a"], "p", d.id!)).toEqual(["a", "b", "managed-by-pipeglot"]);
    expect(await build.deleteDefinitionTag("p", d.id!, "b")).toEqual(["a", "managed-by-pipeglot"]);
    const props = await build.updateDefinitionProperties({}, [{ op: "add", path: "/pipeglot.sourceHash", value: "abc" }] as never, "p", d.id!);
    expect(props).toMatchObject({ count: 1, value: { "pipeglot.sourceHash": { $value: "abc" } } });
    expect((await build.getDefinitionProperties("p", d.id!)).count).toBe(1);
    expect((await build.getDefinition("p", d.id!))?.revision).toBe(1);
  });

  it("environments and approval checks (raw REST, as Azure documents it)", async () => {
    const { emu, web } = await start();
    const ta = await web.getTaskAgentApi();
    const env = await ta.addEnvironment({ name: "prod", description: "d" }, "p");
    await expect(ta.addEnvironment({ name: "PROD", description: "" }, "p")).rejects.toMatchObject({ statusCode: 409 });
    expect((await ta.getEnvironments("p", "prod")).map((e) => e.id)).toEqual([env.id]);
    expect(await ta.updateEnvironment({ name: "prod", description: "e" }, "p", env.id!)).toMatchObject({ description: "e" });
    const url = `${emu.azure.organizationUrl}/p/_apis/pipelines/checks/configurations`;
    const headers = { authorization: "Basic eDp5", "content-type": "application/json", accept: "application/json;api-version=7.2-preview.1" };
    const body = {
      type: { id: "8C6F20A7-A545-4486-9777-F762FAFE0D4D" },
      settings: { approvers: [{ id: "5f0c7a3e-2b1d-4c8e-9a6f-3d2e1b0c9a87" }], minRequiredApprovers: 1 },
      resource: { type: "environment", id: String(env.id) },
      timeout: 1440,
    };
    const created = await (await fetch(url, { method: "POST", headers, body: JSON.stringify(body) })).json();
    expect(created).toMatchObject({
      id: 1,
      version: 1,
      type: { id: "8c6f20a7-a545-4486-9777-f762fafe0d4d", name: "Approval" },
      resource: { type: "environment", id: String(env.id), name: "prod" },
    });
    const bad = await fetch(url, { method: "POST", headers, body: JSON.stringify({ ...body, settings: { approvers: [{ id: "${identity.bob.id}" }] } }) });
    expect(bad.status).toBe(400);
    const listed = (await (await fetch(`${url}?resourceType=environment&resourceId=${env.id}`, { headers })).json()) as { value: { settings?: unknown }[] };
    expect(listed.value[0].settings).toBeUndefined(); // settings only with $expand=settings
    const stale = await fetch(`${url}/1`, { method: "PATCH", headers, body: JSON.stringify({ version: 7, timeout: 5 }) });
    expect(stale.status).toBe(409);
    expect(await (await fetch(`${url}/1`, { method: "PATCH", headers, body: JSON.stringify({ version: 1, timeout: 5 }) })).json()).toMatchObject({
      version: 2,
      timeout: 5,
    });
    await ta.deleteEnvironment("p", env.id!);
    expect(emu.azure.state()[0]!.checks).toEqual([]); // deleting an environment deletes its checks
  });

  it("git: refs, createPush with a stale-ref guard, getItem / getItemText / getItemContent", async () => {
    const { emu, web } = await start();
    const repo = emu.azure.addRepository("p", "app", { files: { "/README.md": "hello\n" } });
    const git = await web.getGitApi();
    expect((await git.getRepository("app", "p"))?.id).toBe(repo.id);
    const [main] = await git.getRefs(repo.id, "p", "heads/main");
    const push = await git.createPush(
      {
        refUpdates: [{ name: "refs/heads/main", oldObjectId: main!.objectId }],
        commits: [
          { comment: "ci", changes: [{ changeType: 1, item: { path: "/azure-pipelines.yml" }, newContent: { content: "trigger: none\n", contentType: 0 } }] },
        ],
      } as never,
      repo.id,
      "p",
    );
    expect(push.refUpdates![0]!.oldObjectId).toBe(main!.objectId);
    await expect(
      git.createPush(
        {
          refUpdates: [{ name: "refs/heads/main", oldObjectId: main!.objectId }],
          commits: [{ comment: "late", changes: [{ changeType: 2, item: { path: "/README.md" }, newContent: { content: "x", contentType: 0 } }] }],
        } as never,
        repo.id,
        "p",
      ),
    ).rejects.toMatchObject({ statusCode: 409, result: { typeKey: "GitReferenceStaleException" } });
    const item = await git.getItem(
      repo.id,
      "/azure-pipelines.yml",
      "p",
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      { version: "main", versionType: 0 },
      true,
    );
    // git's own blob id (`git hash-object`), computed independently here
    const blob = createHash("sha1").update("blob 14\0trigger: none\n").digest("hex");
    expect(item).toMatchObject({ content: "trigger: none\n", objectId: blob });
    expect(await text(await git.getItemText(repo.id, "/azure-pipelines.yml", "p"))).toBe("trigger: none\n");
    expect(await text(await git.getItemContent(repo.id, "README.md", "p"))).toBe("hello\n");
    const missing = await git.getItemText(repo.id, "/nope.yml", "p");
    expect((missing as unknown as { statusCode: number }).statusCode).toBe(404);
    expect(emu.azure.state()[0]!.repositories[0]!.files).toEqual({ "/README.md": "hello\n", "/azure-pipelines.yml": "trigger: none\n" });
  });

  it("faults: 429 carries Retry-After and X-RateLimit headers; 5xx is ServiceUnavailable; counters record them", async () => {
    const { emu, web } = await start({ azureRetryAfterSeconds: 3 });
    const ta = await web.getTaskAgentApi(); // location calls before the faults
    await ta.getEnvironments("p");
    emu.azure.faults.set({ throttleRate: 1 });
    const err = await ta.getEnvironments("p").catch((e: { statusCode: number; responseHeaders: Record<string, string>; message: string }) => e);
    expect(err).toMatchObject({ statusCode: 429, responseHeaders: { "retry-after": "3", "x-ratelimit-resource": "Core" } });
    emu.azure.faults.set({ throttleRate: 0, errorRate: 1 });
    await expect(ta.addEnvironment({ name: "x", description: "" }, "p")).rejects.toMatchObject({ statusCode: 503 });
    expect(emu.azure.counters.get("TaskAgent.GetEnvironments")).toMatchObject({ requests: 2, ok: 1, throttled: 1 });
    expect(emu.azure.counters.get("TaskAgent.AddEnvironment")).toMatchObject({ requests: 1, serverErrors: 1 });
    expect(emu.env).toMatchObject({ AZURE_DEVOPS_ORG_URL: emu.azure.organizationUrl, AZURE_DEVOPS_TOKEN: expect.any(String) });
  });
});
