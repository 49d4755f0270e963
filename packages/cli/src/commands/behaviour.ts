/**
 * The compare report's "behaves as defined (local run)" row: the definition and each compiled
 * output run locally in record mode (@pipeglot/runtimes), each cloud's trace against the reference.
 */
import type { BehaviourCheck } from "@pipeglot/compare";
import type { ProviderOutput } from "@pipeglot/core";
import type { PipelineIR, ProviderId } from "@pipeglot/schema";

export async function behaviourChecks(
  ir: PipelineIR,
  outputs: readonly ProviderOutput[],
  source: string,
): Promise<Partial<Record<ProviderId, BehaviourCheck>>> {
  const rt = await import("@pipeglot/runtimes");
  const inputs = rt.defaultInputs(ir);
  const byId: Partial<Record<ProviderId, ProviderOutput>> = Object.fromEntries(outputs.map((o) => [o.provider, o]));
  const r = await rt.differentialRun(ir, ["neutral", ...outputs.map((o) => o.provider)], byId, () => ({ source, record: true, reject: [], inputs }));
  const checks: Partial<Record<ProviderId, BehaviourCheck>> = {};
  for (const id of r.refused) checks[id] = { verdict: "refused", differences: 0, unexplained: 0 };
  for (const [id, list] of Object.entries(r.findings) as [ProviderId, NonNullable<(typeof r.findings)[ProviderId]>][]) {
    const open = list.filter((f) => !f.explainedBy);
    const first = open[0] ?? list[0];
    checks[id] = {
      verdict: list.length === 0 ? "same" : open.length ? "differs" : "named",
      differences: list.length,
      unexplained: open.length,
      ...(first ? { example: rt.renderFinding(first) } : {}),
    };
  }
  return checks;
}
