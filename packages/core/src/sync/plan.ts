import type { ProviderId } from "@pipeglot/schema";
import { diffBodies } from "./diff.js";
import { withRetries } from "./retry.js";
import { keyString, type Change, type DesiredResource, type LiveClient, type Plan } from "./types.js";

export interface PlanOptions {
  /** Delete owned resources that are no longer desired. */
  prune?: boolean;
  /** Retries of a read that failed with a retryable error (default 6), with backoff and jitter. */
  readRetries?: number;
  minBackoffMs?: number;
}

/** Reads are retried like writes (throttling, 5xx, dropped connections), a few times. */
function retrying<T>(client: LiveClient, opts: PlanOptions, fn: () => Promise<T>): Promise<T> {
  return withRetries(fn, { retries: opts.readRetries ?? 6, minBackoffMs: opts.minBackoffMs ?? 200, maxBackoffMs: 5_000, retryable: (e) => client.retryable(e) });
}

/**
 * Desired vs live: one read per desired resource (plus one listing with --prune), nothing else.
 * Clients return live bodies normalized to the desired shape, so equal means in sync.
 */
export async function plan(provider: ProviderId, pipeline: string, desired: readonly DesiredResource[], client: LiveClient, opts: PlanOptions = {}): Promise<Plan> {
  const live = await retrying(client, opts, () => client.read(desired.map((d) => d.key)));
  const changes: Change[] = [];
  const problems: Plan["problems"] = [];
  desired.forEach((d, i) => {
    const l = live[i];
    if (!l) {
      changes.push({ action: "create", key: d.key, after: d.body, reason: "does not exist", dependsOn: d.dependsOn, diff: diffBodies(undefined, d.body) });
      return;
    }
    if (!l.managed) {
      problems.push({ key: d.key, message: `${keyString(d.key)} exists but is not managed by pipeglot (no ownership tag): pipeglot will not change it; rename the pipeline or adopt the resource by tagging it` });
      return;
    }
    const diff = diffBodies(l.body, d.body);
    changes.push({
      action: diff.length ? "update" : "noop",
      key: d.key,
      before: l.body,
      after: d.body,
      reason: diff.length ? `${diff.length} difference${diff.length === 1 ? "" : "s"}` : "in sync",
      ...(l.versionToken !== undefined ? { versionToken: l.versionToken } : {}),
      dependsOn: d.dependsOn,
      diff,
    });
  });
  if (opts.prune) {
    const wanted = new Set(desired.map((d) => keyString(d.key)));
    const owned = (await retrying(client, opts, () => client.listManaged(pipeline))).filter((k) => !wanted.has(keyString(k)));
    if (owned.length) {
      const rows = await retrying(client, opts, () => client.read(owned));
      owned.forEach((k, i) => {
        const l = rows[i];
        if (!l || !l.managed) return;
        changes.push({ action: "delete", key: k, before: l.body, reason: "owned by pipeglot and no longer in the definition", ...(l.versionToken !== undefined ? { versionToken: l.versionToken } : {}), dependsOn: [], diff: diffBodies(l.body, undefined) });
      });
    }
  }
  return { provider, pipeline, changes, problems };
}

export const planHasChanges = (p: Plan): boolean => p.changes.some((c) => c.action !== "noop");
