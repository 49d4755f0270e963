/**
 * pull(): a live pipeline as the files the OCI importer reads: the JSON the OCI CLI prints
 * (`oci devops build-pipeline get` → {"data": {...}}, `… build-pipeline-stage list` →
 * {"data": {"items": [...]}}, kebab-case keys), plus the build specs the BUILD stages name, read
 * from the repository checkout (they live there, not in OCI).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { keyString, within, type LiveClient, type NativeFile, type PullOptions, type Obj } from "@pipeglot/core";
import { toJson } from "@pipeglot/core";
import { OciLiveClient } from "./client.js";
import { KIND } from "./kinds.js";

const TAG_MAPS = new Set(["freeformTags", "definedTags", "systemTags"]);
const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** camelCase → kebab-case keys, as the OCI CLI prints them (tag maps untouched). */
export function cliShape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(cliShape);
  if (v && typeof v === "object") {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[kebab(k)] = TAG_MAPS.has(k) ? x : cliShape(x);
    return out;
  }
  return v;
}

/**
 * `opts.repositoryRoot` (else the client's `repoRoot` setting) is the working tree the build specs
 * are read from: the same files plan compares and apply writes.
 */
export async function pull(client: LiveClient, pipeline: string, opts: PullOptions = {}): Promise<NativeFile[]> {
  if (!(client instanceof OciLiveClient)) throw new TypeError("pull needs the client from the OCI provider's connect()");
  const keys = await client.listManaged(pipeline);
  if (keys.length === 0) return [];
  await client.read(keys, pipeline);
  const raw = client.raw(pipeline);
  const bodies = (kind: string) =>
    keys
      .filter((k) => k.kind === kind)
      .map((k) => raw.get(keyString(k)))
      .filter((b): b is Obj => !!b);
  const files: NativeFile[] = [];
  const one = (path: string, b: Obj | undefined) => b && files.push({ path, content: toJson(cliShape({ data: b })) });
  const list = (path: string, items: Obj[]) => items.length && files.push({ path, content: toJson(cliShape({ data: { items } })) });
  one("build-pipeline.json", bodies(KIND.buildPipeline)[0]);
  list("build-pipeline-stages.json", bodies(KIND.buildStage));
  one("deploy-pipeline.json", bodies(KIND.deployPipeline)[0]);
  list("deploy-stages.json", bodies(KIND.deployStage));
  list("deploy-artifacts.json", bodies(KIND.deployArtifact));
  list("triggers.json", bodies(KIND.trigger));
  const root = opts.repositoryRoot ?? client.settings.repoRoot ?? process.cwd();
  for (const s of bodies(KIND.buildStage)) {
    const spec = typeof s.buildSpecFile === "string" ? s.buildSpecFile : undefined;
    if (!spec) continue;
    // The path comes from the live service: read only inside the repository, never print a refused file.
    const at = within(root, spec);
    if (at && existsSync(at) && statSync(at).isFile()) files.push({ path: spec, content: readFileSync(at, "utf8") });
  }
  return files;
}
