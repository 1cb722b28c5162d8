/**
 * Fuzzy string scores in the style of thefuzz (0..100), which WebShop's reward uses to match attributes and options.
 * `ratio` is the indel similarity 2·LCS / (|a| + |b|); `tokenSetRatio` compares the shared tokens with each side.
 */

function lcsLength(a: string, b: string): number {
  if (!a.length || !b.length) return 0;
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      row[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1]);
    }
    prev = row;
  }
  return prev[b.length];
}

export function ratio(a: string, b: string): number {
  const total = a.length + b.length;
  if (total === 0) return 100;
  return Math.round((200 * lcsLength(a, b)) / total);
}

const tokens = (s: string) => new Set(s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim().split(' ').filter(Boolean));

export function tokenSetRatio(a: string, b: string): number {
  const ta = tokens(a);
  const tb = tokens(b);
  if (!ta.size || !tb.size) return 0;
  const shared = [...ta].filter((t) => tb.has(t)).sort();
  const onlyA = [...ta].filter((t) => !tb.has(t)).sort();
  const onlyB = [...tb].filter((t) => !ta.has(t)).sort();
  const base = shared.join(' ');
  const withA = [base, ...onlyA].filter(Boolean).join(' ');
  const withB = [base, ...onlyB].filter(Boolean).join(' ');
  return Math.max(base ? ratio(base, withA) : 0, base ? ratio(base, withB) : 0, ratio(withA, withB));
}
