/** Pages of Cloud Build list calls: `pageSize` and an opaque `pageToken`, answered in `nextPageToken`. */
import { GoogleError } from "./errors.js";

/**
 * The list's page: `pageSize` items (default `defaultSize`, at most `maxSize`) from the `pageToken`
 * (base64 of the start index); the items themselves, not copies. `nextPageToken` is absent on the last page.
 */
export function pageOf<T>(all: readonly T[], q: URLSearchParams, defaultSize: number, maxSize: number): { items: T[]; nextPageToken?: string } {
  const size = Math.max(1, Math.min(Number(q.get("pageSize") ?? "0") || defaultSize, maxSize));
  let start = 0;
  const token = q.get("pageToken");
  if (token) {
    start = Number.parseInt(Buffer.from(token, "base64").toString("utf8"), 10);
    if (!Number.isInteger(start) || start < 0 || start > all.length) throw new GoogleError("INVALID_ARGUMENT", "invalid page token");
  }
  const items = all.slice(start, start + size);
  return start + items.length < all.length ? { items, nextPageToken: Buffer.from(String(start + items.length)).toString("base64") } : { items };
}
