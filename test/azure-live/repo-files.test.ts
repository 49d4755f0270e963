/**
 * Azure's YAML as a repository file (issue 14, item 3), through the real azure-devops-node-api
 * against the emulator: without --push-yaml the provider lists it as a repository file and its
 * preflight only notes what Azure Repos lacks (nothing blocks); with --push-yaml it is the pushed
 * resource and no repository file; pull reads it from Azure Repos, else from the working tree.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { apply, plan } from "@pipeglot/core";
import { provider, live } from "@pipeglot/azure";
import { compileOk, PROJECT, shopIR, world, yamlOf, type World } from "./helpers.js";

const worlds: World[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.emu.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const open = async () => {
  const w = await world();
  worlds.push(w);
  return w;
};

describe("the Azure YAML is a repository file unless pushed", () => {
  it("repositoryFiles: the YAML without --push-yaml, nothing with it", async () => {
    const out = compileOk(await shopIR());
    expect(provider.live.repositoryFiles(out)).toEqual([{ path: "azure-pipelines.yml", content: yamlOf(out) }]);
    expect(provider.live.repositoryFiles(out, { pushYaml: true })).toEqual([]);
    const ir = await shopIR();
    ir.targets.azure = { ...ir.targets.azure!, yamlPath: "./ci/azure-pipelines.yml" };
    expect(provider.live.repositoryFiles(compileOk(ir)).map((f) => f.path)).toEqual(["ci/azure-pipelines.yml"]);
  });

  it("preflight without --push-yaml: Azure Repos lacking the file is a note, not a problem; once committed, nothing", async () => {
    const w = await open();
    const out = compileOk(await shopIR());
    const client = await w.client();
    const missing = await provider.live.preflight(client, out, {});
    expect(missing.problems).toEqual([]);
    expect(missing.notes).toEqual([
      expect.stringMatching(/^Azure runs azure-pipelines\.yml as committed on main of shop-web, which does not hold the compiled file yet \(missing\)/),
    ]);
    w.emu.azure.commitFiles(PROJECT, "shop-web", { "/azure-pipelines.yml": yamlOf(out) });
    expect(await provider.live.preflight(client, out, {})).toEqual({ problems: [], notes: [] });
  });

  it("pull reads the YAML from the working tree when Azure Repos does not hold it, and says where to run it when neither does", async () => {
    const w = await open();
    const out = compileOk(await shopIR());
    const client = await w.client();
    const ok = await apply(await plan("azure", "shop-web", live.desiredResources(out), client), client);
    expect(ok.ok).toBe(true);
    await expect(provider.live.pull(await w.client(), "shop-web")).rejects.toThrow(
      /azure-pipelines\.yml is not committed on main of shop-web and is not in the working tree/,
    );
    const root = mkdtempSync(join(tmpdir(), "pipeglot-azure-repo-"));
    dirs.push(root);
    writeFileSync(join(root, "azure-pipelines.yml"), yamlOf(out));
    const files = await provider.live.pull(await w.client(), "shop-web", { repositoryRoot: root });
    expect(files.find((f) => f.path === "azure-pipelines.yml")!.content).toBe(yamlOf(out));
    // Azure Repos first: what Azure runs.
    w.emu.azure.commitFiles(PROJECT, "shop-web", { "/azure-pipelines.yml": yamlOf(out) + "# pushed\n" });
    const again = await provider.live.pull(await w.client(), "shop-web", { repositoryRoot: root });
    expect(again.find((f) => f.path === "azure-pipelines.yml")!.content).toBe(yamlOf(out) + "# pushed\n");
  });
});
