import { limiter } from "./kit/limit.js";
import { isConflict } from "./kit/guard.js";
import type { RetryNotice } from "./kit/retry.js";
import { keyString, type ApplyResult, type Change, type ChangeResult, type LiveClient, type Plan, type ProgressEvent, type WriteContext } from "./types.js";

export interface ApplyOptions {
  /** Independent resources written at once (default 4). */
  parallelism?: number;
  /** The whole apply must finish within this many milliseconds (default 10 minutes). */
  deadlineMs?: number;
  /**
   * Retries of each request of a write that failed with a retryable error (default: the client's
   * policy, see the kit's DEFAULT_RETRY), with backoff and jitter, within the deadline. The
   * client's edge retries each request (one retry layer); the engine sends each change once.
   */
  retries?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  onResult?: (r: ChangeResult) => void;
  /** Progress: each write starting, each retry's reason, each result. */
  onProgress?: (e: ProgressEvent) => void;
  /**
   * Interruption (Ctrl-C): once aborted, no new write starts and no failed attempt is retried;
   * writes already sent finish, and every change still gets its result ("skipped: interrupted").
   */
  signal?: AbortSignal;
}

const INTERRUPTED = "not written: apply was interrupted before it started";

/**
 * Apply a plan: creates and updates in dependency order (a resource waits for what it depends on;
 * independent ones run concurrently, up to `parallelism`), then deletes in reverse order, each only
 * once every create and update of the plan has landed (so nothing still in use is deleted). Each write
 * is guarded by the version the plan read; a conflict stops that resource (and what depends on it),
 * never overwrites. Every change gets a result; nothing is left unreported.
 */
export async function apply(plan: Plan, client: LiveClient, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const limit = limiter(opts.parallelism ?? 4);
  const deadlineAt = Date.now() + (opts.deadlineMs ?? 600_000);
  const done = new Map<string, Promise<ChangeResult>>();
  const changes = plan.changes;
  const byKey = new Map(changes.map((c) => [keyString(c.key), c]));
  const writes = changes.filter((c) => c.action === "create" || c.action === "update").map((c) => keyString(c.key));
  const report = (r: ChangeResult) => {
    opts.onResult?.(r);
    opts.onProgress?.({ type: "written", result: r });
    return r;
  };

  const write = async (c: Change): Promise<ChangeResult> => {
    if (opts.signal?.aborted) return { key: c.key, action: c.action, status: "skipped", attempts: 0, message: INTERRUPTED };
    const left = deadlineAt - Date.now();
    if (left <= 0) return { key: c.key, action: c.action, status: "failed", attempts: 0, message: `deadline passed before ${keyString(c.key)} was written` };
    let attempts = 1;
    const progress = opts.onProgress;
    progress?.({ type: "writing", key: c.key, action: c.action });
    const onBackoff = progress ? { onBackoff: (notice: RetryNotice) => progress({ type: "retrying", key: c.key, notice }) } : {};
    try {
      await client.write(c, { ...writeContext(opts, left), ...onBackoff, onRetry: () => void attempts++ });
      return { key: c.key, action: c.action, status: "done", attempts };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      if (isConflict(err)) {
        // The kit's guards already say it all; a client's own ConflictError gets the same ending.
        const message = /Run plan again\.$/.test(err.message)
          ? err.message
          : `${keyString(c.key)} changed since the plan read it; nothing was written. Run plan again. (${err.message})`;
        return { key: c.key, action: c.action, status: "conflict", attempts, message };
      }
      if (opts.signal?.aborted) return { key: c.key, action: c.action, status: "failed", attempts, message: `interrupted: ${err.message}; not written` };
      return { key: c.key, action: c.action, status: "failed", attempts, message: err.message };
    }
  };

  const run = (c: Change): Promise<ChangeResult> => {
    const k = keyString(c.key);
    let p = done.get(k);
    if (p) return p;
    p = (async () => {
      if (c.action === "noop") return report({ key: c.key, action: c.action, status: "unchanged", attempts: 0 });
      // A delete waits for every create/update of the plan: one of them is what stopped using the
      // resource, and if it did not land (failed, conflict), the live resource may still be in use.
      const deps = c.action === "delete" ? writes : c.dependsOn.filter((d) => byKey.has(d));
      const depResults = await Promise.all(deps.map((d) => run(byKey.get(d)!)));
      const blocked = depResults.find((r) => r.status === "failed" || r.status === "conflict" || r.status === "skipped");
      if (blocked) {
        const why =
          c.action === "delete"
            ? `not deleted: ${keyString(blocked.key)} ${blocked.status}, so something live may still use it`
            : `not written: ${keyString(blocked.key)} ${blocked.status}`;
        return report({ key: c.key, action: c.action, status: "skipped", attempts: 0, message: why });
      }
      return report(await limit(() => write(c)));
    })();
    done.set(k, p);
    return p;
  };

  const upserts = changes.filter((c) => c.action !== "delete");
  await Promise.all(upserts.map(run));
  // Deletes after every create/update, in reverse dependency order of the plan.
  const deletes = changes.filter((c) => c.action === "delete").reverse();
  for (const c of deletes) await run(c);
  // Every change has run by now; run() hands back its (cached) result, in plan order.
  const ordered = await Promise.all(changes.map(run));
  return { results: ordered, ok: ordered.every((r) => r.status === "done" || r.status === "unchanged") };
}

/** The write context: the time left, Ctrl-C, and only the retry settings given. */
function writeContext(opts: ApplyOptions, left: number): WriteContext {
  const retry = {
    ...(opts.retries !== undefined ? { attempts: opts.retries + 1 } : {}),
    ...(opts.minBackoffMs !== undefined ? { minBackoffMs: opts.minBackoffMs } : {}),
    ...(opts.maxBackoffMs !== undefined ? { maxBackoffMs: opts.maxBackoffMs } : {}),
  };
  return { deadline: left, ...(Object.keys(retry).length ? { retry } : {}), ...(opts.signal ? { signal: opts.signal } : {}) };
}
