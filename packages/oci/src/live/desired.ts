/**
 * ProviderOutput → the resources apply writes. Bodies are the compiled request details (symbolic
 * ids and all), in canonical form; `dependsOn` lists the resources a body's symbols name, so a
 * parent (pipeline, predecessor stage, artifact) is always written before what points at it.
 */
import { createHash } from "node:crypto";
import { keyString, type DesiredResource, type ProviderOutput, type Obj } from "@pipeglot/core";
import { SPEC_DIR_IN_REPO } from "../conventions.js";
import { FILE_KINDS, KIND, KIND_ORDER, keyOfSymbol, type OciResourceKind } from "./kinds.js";
import { canonical, symbolsIn } from "./normalize.js";
import { byText, compareText } from "@pipeglot/schema";

export function desired(output: ProviderOutput): DesiredResource[] {
  const items: { kind: OciResourceKind; body: Obj }[] = [];
  for (const f of output.files) {
    const kind = FILE_KINDS[f.kind];
    if (!kind) continue;
    items.push({ kind, body: JSON.parse(f.content) as Obj });
  }
  const nameOf = (kind: OciResourceKind) => items.find((i) => i.kind === kind)?.body.displayName as string | undefined;
  const pipelines = { build: nameOf(KIND.buildPipeline), deploy: nameOf(KIND.deployPipeline) };
  const resources: DesiredResource[] = items.map(({ kind, body }) => {
    const key = { kind, name: String(body.displayName ?? "") };
    const self = keyString(key);
    const deps = new Set<string>();
    for (const sym of symbolsIn(body)) {
      const k = keyOfSymbol(sym, pipelines);
      if (k && keyString(k) !== self) deps.add(keyString(k));
    }
    return { key, body: canonical(kind, body), dependsOn: [...deps].sort() };
  });
  return orderResources(resources);
}

/** Parents first: by kind (KIND_ORDER), then stages in topological order of their dependencies. */
export function orderResources<T extends { key: { kind: string; name: string }; dependsOn: string[] }>(list: T[]): T[] {
  const rank = (k: string) => KIND_ORDER.indexOf(k as OciResourceKind);
  const sorted = [...list].sort((a, b) => rank(a.key.kind) - rank(b.key.kind) || compareText(a.key.name, b.key.name));
  const byKey = new Map(sorted.map((r) => [keyString(r.key), r]));
  const out: T[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (r: T) => {
    const k = keyString(r.key);
    if (state.get(k)) return;
    state.set(k, "visiting");
    for (const d of r.dependsOn) {
      const dep = byKey.get(d);
      if (dep && !state.get(d)) visit(dep);
    }
    state.set(k, "done");
    out.push(r);
  };
  for (const r of sorted) visit(r);
  return out;
}

export interface SpecToCommit {
  /** Path in the repository, as the BUILD stage's buildSpecFile names it. */
  path: string;
  /** sha256 of the content, hex. */
  sha256: string;
  content: string;
}

/**
 * The build specs the BUILD stages read from the repository: OCI has no inline build spec, so
 * these files must be committed (at these paths, on the branch the stages build) before a run.
 */
export function buildSpecsToCommit(output: ProviderOutput): SpecToCommit[] {
  return output.files
    .filter((f) => f.kind === "oci.BuildSpec")
    .map((f) => ({ path: `${SPEC_DIR_IN_REPO}${f.path}`, sha256: createHash("sha256").update(f.content, "utf8").digest("hex"), content: f.content }))
    .sort(byText((x) => x.path));
}

/** One line per file, for the plan text: `commit .pipeglot/oci/build_specs/x.yaml (sha256 ab12…)`. */
export function formatSpecsToCommit(specs: readonly SpecToCommit[]): string {
  return specs.map((s) => `commit ${s.path} (sha256 ${s.sha256.slice(0, 12)})`).join("\n");
}
