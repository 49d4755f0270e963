/**
 * hold / release on Cloud Build. Cloud Build has no transition to disable; what holds runs before
 * a stage is the trigger of that stage's part: pipeglot's chaining step asks whether it is
 * disabled and starts nothing when it is (compile/build.ts nextStep). So:
 *
 *   hold     PATCH the stage's gate trigger: disabled true, "Held: <reason>" in its description
 *            (exactly what a `transition: {enabled: false, reason}` in the definition compiles to,
 *            so plan and apply agree with it)
 *   release  PATCH it back (enabled, the Held line gone), then, when the newest run is held there,
 *            RunBuildTrigger for it with the commit and substitutions its chaining step would
 *            have passed: the held run goes on.
 *
 * Only a stage that opens a part can be held (one with an approval or a transition in the
 * definition); for another, a `config` error names that alternative.
 */
import { findStage, PipeglotError, shortHash, toJson, type HoldOptions, type RunRef } from "@pipeglot/core";
import { HASH_TAG } from "../names.js";
import { applySubstitutions } from "../native/substitution.js";
import type { GcbLiveClient } from "../live/client.js";
import { toApiError } from "../live/errors.js";
import { chainOf, pipelineBuilds, type BuildInfo } from "./builds.js";
import { contextOf, type Context } from "./context.js";
import { compiledTriggers, stagesInOrder, type PartLayout, type Raw } from "./layout.js";
import { runOf } from "./run-status.js";

const HELD = "Held: ";

/** The description with its Held line replaced (hold) or removed (release); Approval and other lines kept. */
export function heldDescription(description: unknown, reason: string | undefined): string {
  const lines = (typeof description === "string" && description ? description.split("\n") : []).filter((l) => !l.startsWith(HELD));
  if (reason !== undefined) lines.push(HELD + reason);
  return lines.join("\n");
}

/**
 * A compiled gate trigger as compile writes it when the stage's transition is disabled with
 * `reason` (undefined: enabled): the same members in the same order (compile/triggers.ts
 * finishTrigger), and the hash tag of that body.
 */
export function heldTrigger(compiled: Raw, reason: string | undefined): Raw {
  const { name, description, tags, disabled: _disabled, ...rest } = compiled;
  const t: Raw = { name };
  const text = heldDescription(description, reason);
  if (text) t.description = text;
  t.tags = (Array.isArray(tags) ? tags : []).filter((x) => typeof x === "string" && !x.startsWith(HASH_TAG));
  if (reason !== undefined) t.disabled = true;
  Object.assign(t, rest);
  t.tags = [...(t.tags as string[]), `${HASH_TAG}${shortHash(toJson(t), 12)}`];
  return t;
}

function gatePart(cx: Context, ref: RunRef, stage: string): PartLayout & { gate: NonNullable<PartLayout["gate"]> } {
  const { part, name } = findStage(
    stagesInOrder(cx.layout).map((x) => ({ ...x, name: x.stage.name })),
    stage,
    ref.pipeline,
  );
  if (!part.gate || part.gate.stage !== name)
    throw new PipeglotError(
      `hold and release are not supported on Cloud Build for stage ${name} of ${ref.pipeline}: it runs in the same build as the stage before it. ` +
        `Alternative: give stage ${name} an approval, or transition: {enabled: false, reason: TEXT}, in the definition and apply: it then gets a trigger of its own (held until pipeglot release ${name}), which hold and release disable and enable`,
      "config",
    );
  return part as PartLayout & { gate: NonNullable<PartLayout["gate"]> };
}

export async function hold(c: GcbLiveClient, ref: RunRef, opts: HoldOptions): Promise<void> {
  if (opts.hold && !opts.reason?.trim())
    throw new PipeglotError("hold needs a reason (--reason TEXT): Cloud Build keeps it in the trigger's description", "usage");
  const cx = await contextOf(c, ref);
  const part = gatePart(cx, ref, opts.stage);
  const trigger = cx.triggers.get(part.gate.trigger);
  if (!trigger || (typeof trigger.resourceName !== "string" && typeof trigger.id !== "string"))
    throw new PipeglotError(`trigger ${part.gate.trigger} of stage ${part.gate.stage} is not in ${c.parent}: apply the pipeline first`, "not-found");
  const path = typeof trigger.resourceName === "string" && trigger.resourceName ? trigger.resourceName : `${c.parent}/triggers/${trigger.id as string}`;
  const reason = opts.hold ? opts.reason!.trim().replace(/\s*\n\s*/g, " ") : undefined;
  const compiled = ref.output ? compiledTriggers(ref.output).find((t) => t.name === part.gate.trigger) : undefined;
  // With the definition: exactly what it compiles to with this stage's transition disabled (or enabled), hash tag included.
  const body: Raw = compiled ? heldTrigger(compiled, reason) : { description: heldDescription(trigger.description, reason) };
  const patch: Raw = { disabled: opts.hold, description: body.description ?? "", ...(compiled ? { tags: body.tags } : {}) };
  try {
    await c.restCall("PATCH", `/v1/${path}?updateMask=${Object.keys(patch).join(",")}`, patch);
  } catch (e) {
    throw toApiError(e, `${opts.hold ? "hold" : "release"} trigger ${part.gate.trigger}`);
  }
  if (!opts.hold) await letThrough(c, ref, cx, part, { ...trigger, disabled: true });
}

/** After a release: the newest run, when it is held before this part, goes on (its gate trigger run as its chaining step would have). */
async function letThrough(c: GcbLiveClient, ref: RunRef, cx: Context, part: PartLayout & { gate: NonNullable<PartLayout["gate"]> }, wasHeld: Raw) {
  const builds = await pipelineBuilds(c, ref.pipeline);
  const root = builds.find((b) => b.part === 0);
  if (!root) return;
  const chain = await chainOf(c, builds, root);
  const before = new Map(cx.triggers).set(part.gate.trigger, wasHeld);
  const run = runOf(cx.layout, chain, before);
  if (run.stages.find((s) => s.name === part.gate.stage)?.state !== "held") return;
  const prev = chain.find((b) => b.part === part.index - 1);
  if (!prev) return;
  const source = chainedSource(prev);
  const id = wasHeld.id as string;
  try {
    await c.sdk.runBuildTrigger({ name: `${c.parent}/triggers/${id}`, source }, { retry: null });
  } catch (e) {
    throw toApiError(e, `run trigger ${part.gate.trigger} for held run ${root.id}`);
  }
}

/** What the build's chaining step passes on (`--sha=${COMMIT_SHA}` and its `--substitutions=^D^K=V…` argument), resolved with the build's values. */
export function chainedSource(b: BuildInfo): { commitSha?: string; substitutions: Record<string, string> } {
  const values = { ...b.substitutions, BUILD_ID: b.id };
  const step = b.steps.find((s) => s.id === "pipeglot__next");
  const arg = step?.args.find((a) => a.startsWith("--substitutions="));
  const substitutions: Record<string, string> = {};
  if (arg) {
    let list = applySubstitutions(arg.slice("--substitutions=".length), values);
    let delim = ",";
    const m = /^\^([^^]+)\^/.exec(list);
    if (m) {
      delim = m[1]!;
      list = list.slice(m[0].length);
    }
    for (const item of list.split(delim)) {
      const eq = item.indexOf("=");
      if (eq > 0) substitutions[item.slice(0, eq)] = item.slice(eq + 1);
    }
  }
  return { ...(b.substitutions.COMMIT_SHA ? { commitSha: b.substitutions.COMMIT_SHA } : {}), substitutions };
}
