/** Pages of OCI list calls: `limit` (default 100, at most 1000) and an opaque `page` token, answered in `opc-next-page`. */
import { OciError } from "./errors.js";

/** The list's page: `limit` items from the `page` token (base64url of the start index); the items themselves, not copies. */
export function pageOf<T>(all: readonly T[], q: URLSearchParams): { items: T[]; headers: Record<string, string> } {
  const limit = Math.max(1, Math.min(Number(q.get("limit") ?? "0") || 100, 1000));
  let start = 0;
  const page = q.get("page");
  if (page) {
    start = Number.parseInt(Buffer.from(page, "base64url").toString("utf8"), 10);
    if (!Number.isInteger(start) || start < 0 || start > all.length) throw new OciError("InvalidParameter", "invalid page token");
  }
  const items = all.slice(start, start + limit);
  const headers: Record<string, string> = {};
  if (start + items.length < all.length) headers["opc-next-page"] = Buffer.from(String(start + items.length)).toString("base64url");
  return { items, headers };
}
