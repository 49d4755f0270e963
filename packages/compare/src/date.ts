/**
 * The report's generation date, reproducibly: `--date YYYY-MM-DD` when given, else the day of
 * SOURCE_DATE_EPOCH (seconds since 1970, UTC; https://reproducible-builds.org/specs/source-date-epoch/),
 * else today (UTC). Same inputs and date, byte-identical report.
 */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` of a Date in UTC. */
export const utcDay = (d: Date): string => d.toISOString().slice(0, 10);

/** The date to print, or a one-line error saying what is wrong with the option or the variable. */
export function reportDate(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  now: () => Date = () => new Date(),
): { date?: string; error?: string } {
  if (option !== undefined) {
    const m = DAY.exec(option);
    const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
    if (!d || utcDay(d) !== option) return { error: `--date ${JSON.stringify(option)}: expected a date YYYY-MM-DD (e.g. 2026-12-01)` };
    return { date: option };
  }
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== "") {
    if (!/^\d{1,12}$/.test(epoch)) return { error: `SOURCE_DATE_EPOCH=${JSON.stringify(epoch)}: expected whole seconds since 1970-01-01 UTC` };
    return { date: utcDay(new Date(Number(epoch) * 1000)) };
  }
  return { date: utcDay(now()) };
}
