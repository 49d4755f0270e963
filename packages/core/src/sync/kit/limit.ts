import pLimit from "p-limit";

/** The one concurrency limit: fn over items with at most `n` in flight; results in order. */
export function mapLimit<T, R>(items: readonly T[], n: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const limit = pLimit(Math.max(1, n));
  return Promise.all(items.map((item, i) => limit(() => fn(item, i))));
}

/** A shared limiter (one per client): every call made through it counts against the same `n`. */
export const limiter = (n: number): (<R>(fn: () => Promise<R>) => Promise<R>) => pLimit(Math.max(1, n));
