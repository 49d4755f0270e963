/**
 * One canonical form for desired and live bodies, so that a plan right after an apply is empty:
 * server-filled fields (ids, lifecycle, timestamps, system and default defined tags, computed
 * collections, trigger URL and webhook secret) and server defaults are dropped, and OCIDs that
 * pipeglot knows are written back as the symbolic ids compile wrote.
 */
import { KIND, SYMBOL, type OciResourceKind } from "./kinds.js";
import { isObject, type Obj } from "@pipeglot/core";

/** Fields only the server sets (never part of a desired body). */
export const SERVER_FIELDS = [
  "id",
  "compartmentId",
  "timeCreated",
  "timeUpdated",
  "lifecycleState",
  "lifecycleDetails",
  "systemTags",
  "triggerUrl",
  "secret",
] as const;
/** Server-filled defaults: dropped from both sides when equal. */
const DEFAULT_TIMEOUT = 36000;

/** Plain JSON (Dates → ISO strings, undefined members gone), as the SDK's models may hold both. */
export function plain<T>(v: T): T {
  return JSON.parse(JSON.stringify(v ?? null)) as T;
}

/** Both sides of a diff go through this (after symbol reversal on the live side). */
export function canonical(kind: OciResourceKind, body: unknown): Obj {
  const b = plain(body) as Obj;
  if (!isObject(b)) return {};
  for (const k of SERVER_FIELDS) delete b[k];
  // Defined tags: the Oracle-Tags namespace (CreatedBy/CreatedOn) is filled by the tenancy's defaults.
  if (isObject(b.definedTags)) {
    const { ["Oracle-Tags"]: _oracle, ...rest } = b.definedTags;
    void _oracle;
    if (Object.keys(rest).length) b.definedTags = rest;
    else delete b.definedTags;
  }
  if (isObject(b.freeformTags) && Object.keys(b.freeformTags).length === 0) delete b.freeformTags;
  if (b.description === "" || b.description === null) delete b.description;
  // Parents that are implied by the key: a stage's project is its pipeline's.
  if (kind === KIND.buildStage || kind === KIND.deployStage) delete b.projectId;
  const emptyItems = (k: string) => {
    if (isObject(b[k]) && Array.isArray((b[k] as Obj).items) && ((b[k] as Obj).items as unknown[]).length === 0) delete b[k];
  };
  if (kind === KIND.buildPipeline) emptyItems("buildPipelineParameters");
  if (kind === KIND.deployPipeline) {
    emptyItems("deployPipelineParameters");
    delete b.deployPipelineArtifacts;
    delete b.deployPipelineEnvironments;
  }
  if (kind === KIND.buildStage && b.buildPipelineStageType === "BUILD") {
    if (b.stageExecutionTimeoutInSeconds === DEFAULT_TIMEOUT) delete b.stageExecutionTimeoutInSeconds;
    if (isObject(b.buildRunnerShapeConfig) && b.buildRunnerShapeConfig.buildRunnerType === "DEFAULT") delete b.buildRunnerShapeConfig;
    const items = isObject(b.buildSourceCollection) && Array.isArray(b.buildSourceCollection.items) ? (b.buildSourceCollection.items as Obj[]) : [];
    if (b.primaryBuildSource !== undefined && isObject(items[0]) && items[0].name === b.primaryBuildSource) delete b.primaryBuildSource;
  }
  if (kind === KIND.deployStage && b.deployStageType === "SHELL" && b.timeoutInSeconds === DEFAULT_TIMEOUT) delete b.timeoutInSeconds;
  return b;
}

/** Replace strings everywhere in a body (inline base64 content decoded, replaced, re-encoded). */
function mapStrings(body: unknown, fn: (s: string) => string): unknown {
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === "string") {
      if (key === "base64EncodedContent") {
        const text = Buffer.from(v, "base64").toString("utf8");
        const next = fn(text);
        return next === text ? v : Buffer.from(next, "utf8").toString("base64");
      }
      return fn(v);
    }
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (isObject(v)) {
      const out: Obj = {};
      for (const [k, x] of Object.entries(v)) out[k] = k === "freeformTags" || k === "definedTags" ? x : walk(x, k);
      return out;
    }
    return v;
  };
  return walk(body);
}

/** Every symbolic id a body mentions (base64 inline content included). */
export function symbolsIn(body: unknown): string[] {
  const found = new Set<string>();
  mapStrings(body, (s) => {
    for (const m of s.matchAll(SYMBOL)) found.add(m[0]);
    return s;
  });
  return [...found].sort();
}

/** Symbols → values. Unknown symbols are reported through `missing` and left in place. */
export function resolveSymbols(body: unknown, lookup: (symbol: string) => string | undefined, missing: (symbol: string) => void): unknown {
  return mapStrings(body, (s) =>
    s.replace(SYMBOL, (sym) => {
      const v = lookup(sym);
      if (v === undefined) {
        missing(sym);
        return sym;
      }
      return v;
    }),
  );
}

/** Known values (OCIDs) → the symbols they stand for. */
export function reverseSymbols(body: unknown, reverse: ReadonlyMap<string, string>): unknown {
  if (reverse.size === 0) return body;
  const values = [...reverse.keys()].sort((a, b) => b.length - a.length);
  return mapStrings(body, (s) => {
    const exact = reverse.get(s);
    if (exact !== undefined) return exact;
    if (!s.includes("ocid1.")) return s;
    let out = s;
    for (const v of values) if (out.includes(v)) out = out.split(v).join(reverse.get(v)!);
    return out;
  });
}
