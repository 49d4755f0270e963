/**
 * Providers by id. Cheap metadata is here; each provider's code loads only when a command needs it.
 * The registry holds each one as an AnyProvider: its live types (target, client) are bound by
 * connectLive, so no caller ever chooses them.
 */
import { anyProvider, type AnyProvider } from "@pipeglot/core";
import { PROVIDER_IDS, type ProviderId } from "@pipeglot/schema";

const loaders: Record<ProviderId, () => Promise<AnyProvider>> = {
  aws: async () => anyProvider((await import("@pipeglot/aws")).provider),
  azure: async () => anyProvider((await import("@pipeglot/azure")).provider),
  gcp: async () => anyProvider((await import("@pipeglot/gcp")).provider),
  oci: async () => anyProvider((await import("@pipeglot/oci")).provider),
};
export async function loadProvider(id: ProviderId): Promise<AnyProvider> {
  return loaders[id]();
}

export async function loadProviders(ids: readonly ProviderId[]): Promise<AnyProvider[]> {
  return Promise.all(ids.map(loadProvider));
}

/** "aws" → ["aws"]; "all" → every provider; "aws,gcp" → both. */
export function parseTargets(value: string): ProviderId[] {
  const parts = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.includes("all")) return [...PROVIDER_IDS];
  return [...new Set(parts)] as ProviderId[];
}

export const TARGET_CHOICES = [...PROVIDER_IDS, "all"] as const;

/** yargs .check() for a --target/--to list: throws (a usage error) naming the unknown ones. */
export function checkTargets(value: string): true {
  const parts = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!parts.length) throw new Error(`no target given (${JSON.stringify(value)}); choose from ${TARGET_CHOICES.join(", ")}`);
  const bad = parts.filter((t) => !(TARGET_CHOICES as readonly string[]).includes(t));
  if (bad.length) throw new Error(`unknown target ${bad.map((b) => JSON.stringify(b)).join(", ")}; choose from ${TARGET_CHOICES.join(", ")}`);
  return true;
}
