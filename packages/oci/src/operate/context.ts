/** What every operate command starts from: the live pipeline and the definition's stages on it. */
import type { RunRef } from "@pipeglot/core";
import type { OciLiveClient } from "../live/index.js";
import { layoutFromLive, layoutFromOutput, type Layout } from "./layout.js";
import { livePipeline, type LivePipeline } from "./pipeline.js";

export interface OperateContext {
  client: OciLiveClient;
  ref: RunRef;
  live: LivePipeline;
  layout: Layout;
}

export async function contextOf(client: OciLiveClient, ref: RunRef): Promise<OperateContext> {
  const live = await livePipeline(client, ref.pipeline);
  const fromLive = layoutFromLive(live.buildStages, live.deployStages);
  const fromOutput = ref.output ? layoutFromOutput(ref.output) : undefined;
  if (!fromOutput?.stages.length) return { client, ref, live, layout: fromLive };
  // The definition's stages and jobs; the gates as they are live (hold adds one, release removes it).
  const gates = (name: string) => fromLive.stages.find((s) => s.name === name)?.gates ?? [];
  return { client, ref, live, layout: { stages: fromOutput.stages.map((s) => ({ ...s, gates: gates(s.name) })) } };
}

/** The live deploy stage's OCID for a display name. */
export function deployStageId(ctx: OperateContext, native: string): string | undefined {
  const s = ctx.live.deployStages.find((d) => d.displayName === native);
  return typeof s?.id === "string" ? s.id : undefined;
}
