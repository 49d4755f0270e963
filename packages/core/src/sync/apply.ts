import pLimit from "p-limit";
import pRetry, { AbortError } from "p-retry";
import { ConflictError, keyString, type ApplyResult, type Change, type ChangeResult, type LiveClient, type Plan } from "./types.js";

export interface ApplyOptions {
  /** Independent resources written at once (default 4). */
  parallelism?: number;
  /** The whole apply must finish within this many milliseconds (default 10 minutes). */
  deadlineMs?: number;
  /** Retries per write for retryable errors (default 8), exponential backoff with jitter. */
  retries?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  onResult?: (r: ChangeResult) => void;
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
  const limit = pLimit(opts.parallelism ?? 4);
  const deadlineAt = Date.now() + (opts.deadlineMs ?? 600_000);
  const done = new Map<string, Promise<ChangeResult>>();
  const changes = plan.changes;
  const byKey = new Map(changes.map((c) => [keyString(c.key), c]));
  const writes = changes.filter((c) => c.action === "create" || c.action === "update").map((c) => keyString(c.key));
  const report = (r: ChangeResult) => {
    opts.onResult?.(r);
    return r;
  };

  const write = async (c: Change): Promise<ChangeResult> => {
    let attempts = 0;
    try {
      await pRetry(
        async () => {
          if (opts.signal?.aborted) throw new AbortError(INTERRUPTED);
          attempts++;
          const left = deadlineAt - Date.now();
          if (left <= 0) throw new AbortError(`deadline passed before ${keyString(c.key)} was written`);
          try {
            await client.write(c, { deadline: left });
          } catch (e) {
            if (e instanceof ConflictError || !client.retryable(e)) throw new AbortError(e as Error);
            throw e;
          }
        },
        {
          retries: opts.retries ?? 8,
          minTimeout: opts.minBackoffMs ?? 200,
          maxTimeout: opts.maxBackoffMs ?? 10_000,
          factor: 2,
          randomize: true,
          maxRetryTime: Math.max(0, deadlineAt - Date.now()),
          // A server that says when to come back (HTTP Retry-After) is obeyed, within the deadline.
          onFailedAttempt: async ({ error }) => {
            const after = (error as { retryAfterMs?: unknown }).retryAfterMs;
            if (typeof after === "number" && after > 0) await new Promise((r) => setTimeout(r, Math.min(after, Math.max(0, deadlineAt - Date.now()))));
          },
        },
      );
      return { key: c.key, action: c.action, status: "done", attempts };
    } catch (e) {
      const err = e as Error;
      if (err instanceof ConflictError || err.name === "ConflictError")
        return { key: c.key, action: c.action, status: "conflict", attempts, message: `${keyString(c.key)} changed since the plan read it; nothing was written. Run plan again. (${err.message})` };
      if (err.message === INTERRUPTED) return { key: c.key, action: c.action, status: attempts ? "failed" : "skipped", attempts, message: attempts ? `interrupted after ${attempts} failed attempt(s); not written` : INTERRUPTED };
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
        const why = c.action === "delete" ? `not deleted: ${keyString(blocked.key)} ${blocked.status}, so something live may still use it` : `not written: ${keyString(blocked.key)} ${blocked.status}`;
        return report({ key: c.key, action: c.action, status: "skipped", attempts: 0, message: why });
      }
      return report(await limit(() => (opts.signal?.aborted ? { key: c.key, action: c.action, status: "skipped" as const, attempts: 0, message: INTERRUPTED } : write(c))));
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
