/**
 * Provider name rules: one sanitize function per provider, and a registry that keeps the results
 * unique and reports every rename (so that nothing changes silently).
 */
import { createHash } from "node:crypto";

export interface NameRule {
  /** Turn any name into one the provider accepts (not yet unique). */
  sanitize(name: string): string;
  maxLength: number;
  /** Case-insensitive uniqueness on the provider side. */
  caseInsensitive?: boolean;
  /** Separator used before a numeric suffix when names collide. */
  separator?: string;
}

export interface Rename {
  original: string;
  name: string;
  why: "sanitized" | "collision" | "truncated";
}

export class NameRegistry {
  private readonly used = new Set<string>();
  readonly renames: Rename[] = [];
  constructor(private readonly rule: NameRule) {}

  /** A unique provider name for `original`. */
  take(original: string): string {
    let name = this.rule.sanitize(original);
    let why: Rename["why"] | undefined = name !== original ? "sanitized" : undefined;
    if (name.length > this.rule.maxLength) {
      const h = shortHash(original);
      name = name.slice(0, this.rule.maxLength - h.length - 1) + (this.rule.separator ?? "-") + h;
      why = "truncated";
    }
    const key = (n: string) => (this.rule.caseInsensitive ? n.toLowerCase() : n);
    if (this.used.has(key(name))) {
      const sep = this.rule.separator ?? "-";
      let i = 2;
      let candidate: string;
      do {
        const suffix = `${sep}${i++}`;
        candidate = name.slice(0, this.rule.maxLength - suffix.length) + suffix;
      } while (this.used.has(key(candidate)));
      name = candidate;
      why = "collision";
    }
    this.used.add(key(name));
    if (why) this.renames.push({ original, name, why });
    return name;
  }
}

export function shortHash(text: string, length = 8): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}
