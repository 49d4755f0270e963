import type { PipelineIR } from "@pipeglot/schema";

/**
 * What AWS cannot hold, always: other providers' secret references and secret descriptions, other
 * providers' targets, and `defaults` (factored into every job; import writes them out per job).
 * Shared by the round-trip test and the live pull test.
 */
export const ALWAYS_STRIPPED = (ir: PipelineIR): PipelineIR => {
  const c = structuredClone(ir);
  c.defaults = {};
  for (const s of Object.values(c.secrets)) {
    delete s.azure;
    delete s.gcp;
    delete s.oci;
    delete s.description;
  }
  c.targets = c.targets.aws ? { aws: c.targets.aws } : {};
  return c;
};
