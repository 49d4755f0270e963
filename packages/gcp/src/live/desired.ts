/**
 * Provider.desired: one DesiredResource per BuildTrigger that compile wrote
 * (`triggers/<name>.json`, kind cloudbuild.BuildTrigger), its body the trigger JSON itself
 * (inline build included) in canonical form (proto3-absent members such as `false` or `[]` dropped;
 * see normalize.ts — for compile's own output this changes nothing).
 */
import { keyString, type DesiredResource, type ProviderOutput } from "@pipeglot/core";
import { KIND_TRIGGER } from "../compile/index.js";
import { canonical } from "./normalize.js";
import { byText } from "@pipeglot/schema";

/** `gcloud builds triggers run <name>` in a shell command. */
const RUNS = /gcloud\s+builds\s+triggers\s+run\s+([A-Za-z0-9-]+)/g;

type Step = { entrypoint?: unknown; args?: unknown[] };

/** Triggers a build starts: the chaining step (entrypoint gcloud, args builds triggers run <name>) or a shell command doing the same. */
function startedTriggers(steps: Step[]): string[] {
  const out: string[] = [];
  for (const s of steps) {
    const args = (s.args ?? []).filter((a): a is string => typeof a === "string");
    if (s.entrypoint === "gcloud" && args[0] === "builds" && args[1] === "triggers" && args[2] === "run" && args[3]) out.push(args[3]);
    for (const a of args) for (const m of a.matchAll(RUNS)) out.push(m[1]!);
  }
  return out;
}

export function desired(output: ProviderOutput): DesiredResource[] {
  const out: DesiredResource[] = [];
  for (const f of output.files) {
    if (f.kind !== KIND_TRIGGER) continue;
    const body = canonical(JSON.parse(f.content)) as { name?: unknown };
    if (typeof body.name !== "string" || !body.name) throw new Error(`${f.path}: a BuildTrigger without a name`);
    out.push({ key: { kind: KIND_TRIGGER, name: body.name }, body, dependsOn: [] });
  }
  // A build that starts another trigger is written after that trigger exists.
  const names = new Set(out.map((d) => d.key.name));
  for (const d of out) {
    const started = startedTriggers((d.body as { build?: { steps?: Step[] } }).build?.steps ?? []);
    d.dependsOn = [...new Set(started.filter((n) => names.has(n) && n !== d.key.name))].sort().map((n) => keyString({ kind: KIND_TRIGGER, name: n }));
  }
  return out.sort(byText((x) => x.key.name));
}
