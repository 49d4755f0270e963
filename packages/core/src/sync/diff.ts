import diffObjects from "microdiff";
import { byText } from "@pipeglot/schema";
import { markBookkeeping } from "./bookkeeping.js";
import type { DiffEntry } from "./types.js";

/** Structural differences between two bodies, sorted by path; pipeglot's ownership markers are marked `bookkeeping`. */
export function diffBodies(before: unknown, after: unknown): DiffEntry[] {
  const wrap = (v: unknown) => ({ v });
  const raw = diffObjects(wrap(before) as Record<string, unknown>, wrap(after) as Record<string, unknown>);
  const entries = raw
    .map((d): DiffEntry => {
      const path = d.path.slice(1) as (string | number)[];
      if (d.type === "CREATE") return { path, type: "add", after: d.value };
      if (d.type === "REMOVE") return { path, type: "remove", before: d.oldValue };
      return { path, type: "change", before: d.oldValue, after: d.value };
    })
    .sort(byText((d) => d.path.join("\u0000")));
  return markBookkeeping(entries, before, after);
}
