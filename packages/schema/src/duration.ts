import { DURATION_PATTERN } from "./document.js";

const UNIT: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 };

/** "1h30m" → 5400. Returns undefined for text that is not a duration. */
export function parseDuration(text: string): number | undefined {
  if (!text || !DURATION_PATTERN.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+)([dhms])/g)) total += Number(m[1]) * UNIT[m[2]!]!;
  return total;
}

/** 5400 → "1h30m"; 0 → "0s". The inverse of parseDuration for canonical text. */
export function formatDuration(seconds: number): string {
  if (seconds <= 0) return "0s";
  let rest = Math.round(seconds);
  let out = "";
  for (const [u, n] of Object.entries(UNIT)) {
    if (rest >= n) {
      out += `${Math.floor(rest / n)}${u}`;
      rest %= n;
    }
  }
  return out;
}
