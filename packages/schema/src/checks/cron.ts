import type { Check } from "./context.js";

const RANGES: [number, number, string][] = [
  [0, 59, "minute"],
  [0, 23, "hour"],
  [1, 31, "day of month"],
  [1, 12, "month"],
  [0, 7, "day of week"],
];
const NAMES = [
  undefined,
  undefined,
  undefined,
  ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
  ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
];

/** Returns why a five-field cron expression is invalid, or undefined when it is valid. */
export function cronProblem(expr: string): string | undefined {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) return `expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  for (let f = 0; f < 5; f++) {
    const [lo, hi, what] = RANGES[f]!;
    const value = (t: string) => {
      const named = NAMES[f]?.indexOf(t.toUpperCase()) ?? -1;
      if (named >= 0) return named + (f === 3 ? 1 : 0);
      return /^\d+$/.test(t) ? Number(t) : NaN;
    };
    for (const part of fields[f]!.split(",")) {
      const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
      if (!m) return `${what} field ${JSON.stringify(fields[f])} is not a cron field`;
      if (m[2] !== undefined && Number(m[2]) === 0) return `${what} step must be at least 1`;
      if (m[1] === "*") continue;
      for (const v of m[1]!.split("-").map(value))
        if (Number.isNaN(v) || v < lo || v > hi) return `${what} ${JSON.stringify(m[1])} is out of range ${lo}-${hi}`;
    }
  }
  return undefined;
}

export const cron: Check = {
  name: "cron",
  description: "Each schedule is a valid five-field cron expression (UTC).",
  run(ctx) {
    (ctx.doc.triggers?.schedules ?? []).forEach((s, i) => {
      const p = cronProblem(s.cron);
      if (p)
        ctx.report("PG-CRON-INVALID", `/triggers/schedules/${i}/cron`, `invalid cron ${JSON.stringify(s.cron)}: ${p}`, {
          hint: 'for example "0 3 * * 1-5" runs at 03:00 UTC on weekdays',
        });
    });
  },
};
