/** What every operate command reads first: the pipeline's layout and the live triggers. */
import type { RunRef } from "@pipeglot/core";
import type { GcbLiveClient } from "../live/client.js";
import { liveTriggers } from "./builds.js";
import { compiledTriggers, layoutOf, noTriggers, type Layout, type Raw } from "./layout.js";

export interface Context {
  layout: Layout;
  /** Live triggers of the location, by name. */
  triggers: Map<string, Raw>;
}

/** The pipeline's layout (from the compile output when given, else the live triggers) and its live triggers. */
export async function contextOf(c: GcbLiveClient, ref: RunRef): Promise<Context> {
  const live = await liveTriggers(c);
  const triggers = new Map(live.filter((t) => typeof t.name === "string").map((t) => [t.name as string, t]));
  const layout = layoutOf(ref.pipeline, ref.output ? compiledTriggers(ref.output) : live);
  const liveLayout = ref.output ? layoutOf(ref.pipeline, live) : layout;
  if (!liveLayout.parts.length) throw noTriggers(ref.pipeline, c.parent);
  return { layout, triggers };
}
