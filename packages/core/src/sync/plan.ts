import type { ProviderId } from "@pipeglot/schema";
import { diffBodies } from "./diff.js";
import type { RetryNotice } from "./kit/retry.js";
import {
  keyString,
  type Change,
  type DesiredResource,
  type LiveClient,
  type LiveResource,
  type Plan,
  type PlanProblem,
  type ProgressEvent,
  type ReadContext,
} from "./types.js";

export interface PlanOptions {
  /** Delete owned resources that are no longer desired. */
  prune?: boolean;
  /**
   * Retries of each read request that failed with a retryable error (default: the client's policy,
   * see the kit's DEFAULT_RETRY). The client's edge retries each request; the engine does not
   * retry a whole read on top of it.
   */
  readRetries?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Progress: the read starting, each retry's reason, each resource's outcome. */
  onProgress?: (e: ProgressEvent) => void;
}

/** The read context the plan hands to the client: only the settings given. */
function readContext(opts: PlanOptions): ReadContext {
  const retry = {
    ...(opts.readRetries !== undefined ? { attempts: opts.readRetries + 1 } : {}),
    ...(opts.minBackoffMs !== undefined ? { minBackoffMs: opts.minBackoffMs } : {}),
    ...(opts.maxBackoffMs !== undefined ? { maxBackoffMs: opts.maxBackoffMs } : {}),
  };
  const progress = opts.onProgress;
  return {
    ...(Object.keys(retry).length ? { retry } : {}),
    ...(progress ? { onBackoff: (notice: RetryNotice) => progress({ type: "retrying", notice }) } : {}),
  };
}

const q = (s: string) => JSON.stringify(s);

/** Plan problems about ownership: each names the resource and, where known, both pipelines. */
export const ownership = {
  unmanaged: (d: DesiredResource): string =>
    `${keyString(d.key)} exists but is not managed by pipeglot (no ownership tag): pipeglot will not change it; rename the pipeline or adopt the resource by tagging it`,
  unattributed: (d: DesiredResource, pipeline: string): string =>
    `${keyString(d.key)} carries pipeglot's managed-by tag but no pipeline identity (it was written by an older pipeglot), and nothing shows that it belongs to pipeline ${q(pipeline)}: it may be another pipeline's. pipeglot will not change it; check who uses it, then adopt it by giving it pipeline ${q(pipeline)}'s identity (see the provider's live README), or rename`,
  foreign: (d: DesiredResource, owner: string, pipeline: string): string =>
    `${keyString(d.key)} belongs to pipeline ${q(owner)}, not to pipeline ${q(pipeline)}: pipeglot will not change it. Both pipelines give a resource this name; rename a stage, a job or the pipeline so that the names differ`,
  differs: (d: DesiredResource, owner: string, pipeline: string, n: number): string =>
    `${keyString(d.key)} belongs to pipeline ${q(owner)}, which shares it with pipeline ${q(pipeline)}; pipeline ${q(pipeline)} asks for a different one (${n} difference${n === 1 ? "" : "s"}): make the two definitions agree, or change it through pipeline ${q(owner)}`,
  parent: (d: DesiredResource, parent: string, owner: string, pipeline: string): string =>
    `${keyString(d.key)} does not exist, and ${parent} belongs to pipeline ${q(owner)}: pipeline ${q(pipeline)} may not add it. Add it through pipeline ${q(owner)}, or drop it from pipeline ${q(pipeline)}`,
};

/** The owner of a managed live resource when it is another pipeline (or unknown). */
const foreignOwner = (l: LiveResource | undefined, pipeline: string): string | undefined =>
  l?.managed && l.owner !== undefined && l.owner !== pipeline ? l.owner : undefined;

/** One desired resource against its live counterpart: the change to make, or why it cannot be made. */
function judge(pipeline: string, d: DesiredResource, l: LiveResource | undefined, liveByKey: Map<string, LiveResource | undefined>): Change | PlanProblem {
  if (!l) {
    const parentOwner = d.ownedWith !== undefined ? foreignOwner(liveByKey.get(d.ownedWith), pipeline) : undefined;
    if (parentOwner !== undefined) return { key: d.key, message: ownership.parent(d, d.ownedWith!, parentOwner, pipeline) };
    return { action: "create", key: d.key, after: d.body, reason: "does not exist", dependsOn: d.dependsOn, diff: diffBodies(undefined, d.body) };
  }
  if (!l.managed) return { key: d.key, message: ownership.unmanaged(d) };
  if (l.owner === undefined) return { key: d.key, message: ownership.unattributed(d, pipeline) };
  const diff = diffBodies(l.body, d.body);
  const token = l.versionToken !== undefined ? { versionToken: l.versionToken } : {};
  if (l.owner !== pipeline) {
    if (d.shared === "as-is" || (d.shared === "if-equal" && diff.length === 0))
      return {
        action: "noop",
        key: d.key,
        before: l.body,
        after: l.body,
        reason: `belongs to pipeline ${q(l.owner)}; used as it is`,
        ...token,
        dependsOn: d.dependsOn,
        diff: [],
      };
    return { key: d.key, message: d.shared === "if-equal" ? ownership.differs(d, l.owner, pipeline, diff.length) : ownership.foreign(d, l.owner, pipeline) };
  }
  return {
    action: diff.length ? "update" : "noop",
    key: d.key,
    before: l.body,
    after: d.body,
    reason: diff.length ? `${diff.length} difference${diff.length === 1 ? "" : "s"}` : "in sync",
    ...token,
    dependsOn: d.dependsOn,
    diff,
  };
}

/** With --prune: deletes of this pipeline's resources (its identity, not just the managed-by tag) that the definition no longer has. */
async function pruned(pipeline: string, desired: readonly DesiredResource[], client: LiveClient, opts: PlanOptions): Promise<Change[]> {
  const wanted = new Set(desired.map((d) => keyString(d.key)));
  const ctx = readContext(opts);
  opts.onProgress?.({ type: "listing" });
  const listed = await client.listManaged(
    pipeline,
    desired.map((d) => d.key),
    ctx,
  );
  const owned = listed.filter((k) => !wanted.has(keyString(k)));
  if (!owned.length) return [];
  const rows = await client.read(owned, pipeline, ctx);
  const out: Change[] = [];
  owned.forEach((k, i) => {
    const l = rows[i];
    if (!l || !l.managed || l.owner !== pipeline) return;
    const token = l.versionToken !== undefined ? { versionToken: l.versionToken } : {};
    out.push({
      action: "delete",
      key: k,
      before: l.body,
      reason: `owned by pipeline ${q(pipeline)} and no longer in the definition`,
      ...token,
      dependsOn: [],
      diff: diffBodies(l.body, undefined),
    });
    opts.onProgress?.({ type: "read", key: k, outcome: "delete" });
  });
  return out;
}

/**
 * Desired vs live: one read per desired resource (plus one listing with --prune), nothing else.
 * Clients return live bodies normalized to the desired shape, so equal means in sync. A resource
 * that is not this pipeline's (no managed-by tag, another pipeline's identity, or no identity the
 * client can attribute) is a problem, never a change.
 */
export async function plan(
  provider: ProviderId,
  pipeline: string,
  desired: readonly DesiredResource[],
  client: LiveClient,
  opts: PlanOptions = {},
): Promise<Plan> {
  opts.onProgress?.({ type: "reading", count: desired.length });
  const live = await client.read(
    desired.map((d) => d.key),
    pipeline,
    readContext(opts),
  );
  const liveByKey = new Map(desired.map((d, i) => [keyString(d.key), live[i]]));
  const changes: Change[] = [];
  const problems: PlanProblem[] = [];
  desired.forEach((d, i) => {
    const r = judge(pipeline, d, live[i], liveByKey);
    if ("action" in r) changes.push(r);
    else problems.push(r);
    opts.onProgress?.({ type: "read", key: d.key, outcome: "action" in r ? r.action : "blocked" });
  });
  if (opts.prune) changes.push(...(await pruned(pipeline, desired, client, opts)));
  return { provider, pipeline, changes, problems };
}

export const planHasChanges = (p: Plan): boolean => p.changes.some((c) => c.action !== "noop");
