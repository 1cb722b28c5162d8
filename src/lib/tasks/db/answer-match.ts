/**
 * AgentBench DB answer equality for SELECT-type tasks, following the rules of THUDM/AgentBench's
 * dbbench result processor (re-implemented here):
 * - each item is trimmed and stripped of surrounding quotes; `None`/`null`/`nan`/`inf`/empty count as "0";
 *   a trailing `%` is dropped; thousands separators (commas) are removed;
 * - one value each: equal as numbers within 0.01 when both are numeric, else equal as strings;
 * - several values: when all are numeric, a one-to-one match within 0.01 (order-insensitive);
 *   otherwise equal as sets (order- and duplicate-insensitive).
 */

const SPECIAL_AS_ZERO = new Set(['none', 'null', 'undefined', 'nan', 'inf', 'infinity', '-inf', '-infinity', '']);
const TOLERANCE = 1e-2;

function stripQuotes(s: string): string {
  return s.trim().replace(/^['"]+|['"]+$/g, '');
}

export function normalizeItem(value: unknown): string {
  if (value === null || value === undefined) return '0';
  let s = String(value).trim();
  if (s.endsWith('%')) s = s.slice(0, -1).trim();
  if (s.includes(',') && !s.startsWith('[') && !s.endsWith(']')) s = s.replaceAll(',', '');
  return SPECIAL_AS_ZERO.has(s.toLowerCase()) ? '0' : s;
}

/** Splits a list written as text (`['a', 'b']`, `[(1,), (2,)]`, `a`) into items, quote-aware. */
export function splitListText(text: string): string[] {
  let s = text.trim();
  if (!(s.startsWith('[') && s.endsWith(']'))) return [stripQuotes(s)];
  s = s.slice(1, -1);
  const items: string[] = [];
  let current = '';
  let quote: string | null = null;
  // Tuple parentheses are dropped and empty items (from `(x,)`) skipped: rows flatten to values.
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ',') {
      if (current.trim()) items.push(current.trim());
      current = '';
    } else if (ch !== '(' && ch !== ')') current += ch;
  }
  if (current.trim()) items.push(current.trim());
  return items.map(stripQuotes);
}

export function cleanAnswer(answer: string | readonly unknown[] | null | undefined): string[] {
  if (answer === null || answer === undefined) return ['0'];
  const items = typeof answer === 'string' ? splitListText(answer) : answer.map((x) => stripQuotes(String(x ?? 'None')));
  return items.map(normalizeItem);
}

function isNumeric(s: string): boolean {
  return s.trim() !== '' && Number.isFinite(Number(s));
}

function numbersClose(a: string, b: string): boolean {
  return Math.abs(Number(a) - Number(b)) <= TOLERANCE;
}

export function answersMatch(
  answer: string | readonly unknown[] | null | undefined,
  label: string | readonly unknown[],
): boolean {
  const got = cleanAnswer(answer);
  const want = cleanAnswer(label);
  if (got.length === 1 && want.length === 1) {
    const [a, b] = [got[0], want[0]];
    if (isNumeric(a) && isNumeric(b)) return numbersClose(a, b);
    return a === b;
  }
  if (got.every(isNumeric) && want.every(isNumeric)) {
    if (got.length !== want.length) return false;
    const used = new Array<boolean>(want.length).fill(false);
    return got.every((a) => {
      const i = want.findIndex((b, j) => !used[j] && numbersClose(a, b));
      if (i < 0) return false;
      used[i] = true;
      return true;
    });
  }
  const gotSet = new Set(got);
  const wantSet = new Set(want);
  return gotSet.size === wantSet.size && [...gotSet].every((x) => wantSet.has(x));
}
