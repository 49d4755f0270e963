/** Shared set-up for the Azure live-sync tests: the emulator, a pipeline, a connected client. */
import { compile, live } from "@pipeglot/azure";
import type { ProviderOutput } from "@pipeglot/core";
import { startEmulators, type Emulators } from "@pipeglot/emulators";
import { validateFile, type PipelineIR } from "@pipeglot/schema";
import { join } from "node:path";
import { REPO } from "../helpers/paths.js";

export const PROJECT = "shop";
export const APPROVER = "5f0c7a3e-2b1d-4c8e-9a6f-3d2e1b0c9a87";
export const FAKE_TOKEN = "pgtok-Zq9xW3vB7nK2mL5pR8sT1uY4aC6dE0fG";

/** node-webapp, built from Azure Repos, approvals as environment checks with an id approver. */
export async function shopIR(): Promise<PipelineIR> {
  const r = await validateFile(join(REPO, "examples/node-webapp/pipeglot.yaml"));
  if (!r.ir) throw new Error("node-webapp does not validate");
  const ir = structuredClone(r.ir);
  ir.source = { repository: "shop-web", branch: "main", provider: "azure-repos" };
  ir.targets.azure = { organization: "https://dev.azure.com/acme", project: PROJECT, approvalMode: "environment" };
  for (const s of ir.stages) if (s.approval) s.approval.approvers = [APPROVER];
  return ir;
}

export function compileOk(ir: PipelineIR): ProviderOutput {
  const out = compile(ir);
  const errors = out.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(errors.map((d) => d.message).join("\n"));
  return out;
}

export function yamlOf(out: ProviderOutput): string {
  return out.files.find((f) => f.kind === "azure.PipelineYaml")!.content;
}

export interface World {
  emu: Emulators;
  env: Record<string, string>;
  client(opts?: Parameters<typeof live.connectAzure>[1]): Promise<live.AzureLiveClient>;
}

export async function world(opts: Parameters<typeof startEmulators>[0] = {}): Promise<World> {
  const emu = await startEmulators({ providers: ["azure"], seed: 7, ...opts });
  emu.azure.addRepository(PROJECT, "shop-web");
  const env = { AZURE_DEVOPS_ORG_URL: emu.azure.organizationUrl, AZURE_DEVOPS_TOKEN: FAKE_TOKEN };
  return {
    emu,
    env,
    client: (o = {}) =>
      live.connectAzure(
        { target: { project: PROJECT, organization: "https://dev.azure.com/acme" }, env },
        { retry: { minBackoffMs: 5, maxBackoffMs: 50 }, ...o },
      ),
  };
}

export const { desiredResources } = live;
