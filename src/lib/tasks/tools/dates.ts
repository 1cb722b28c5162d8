/** Calendar arithmetic on ISO dates (proleptic Gregorian, UTC, no time of day). */

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function parseIsoDate(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) throw new RangeError(`"${text}" is not a date in YYYY-MM-DD form`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const check = new Date(t);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw new RangeError(`"${text}" is not a valid calendar date`);
  }
  return t;
}

export function formatIsoDate(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

export function daysBetween(start: string, end: string): number {
  return Math.round((parseIsoDate(end) - parseIsoDate(start)) / DAY_MS);
}

export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`days must be a whole number, got ${days}`);
  return formatIsoDate(parseIsoDate(date) + days * DAY_MS);
}

export function weekday(date: string): string {
  return WEEKDAYS[new Date(parseIsoDate(date)).getUTCDay()];
}
