/**
 * Tools answer matching. Final answers from a 7B model are sentences ("The answer is 42.16 km."), so a
 * numeric expectation passes when any number in the answer is close enough, and a text expectation
 * when the normalised answer contains it as whole words.
 */
import type { Expected } from './tasks';

/** Lower-case, drop thousands separators and punctuation other than . / - within tokens, squeeze spaces. */
export function normalizeText(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKC')
    .replace(/(\d),(?=\d{3}\b)/g, '$1')
    .replace(/[^\p{L}\p{N}./-]+/gu, ' ')
    .replace(/(^|\s)[./-]+|[./-]+(?=\s|$)/g, '$1')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
}

export function numbersIn(s: string): number[] {
  return (normalizeText(s).match(/-?\d+(?:\.\d+)?(?:\/\d+)?/g) ?? []).map((t) => {
    const [a, b] = t.split('/');
    return b === undefined ? Number(a) : Number(a) / Number(b);
  });
}

export function answerMatches(answer: string, expected: Exclude<Expected, { noTool: true } | { open: true }>): boolean {
  if ('number' in expected) {
    const tol = expected.tolerance ?? 1e-6;
    return numbersIn(answer).some((n) => Math.abs(n - expected.number) <= tol);
  }
  const hay = ` ${normalizeText(answer)} `;
  return expected.text.some((t) => hay.includes(` ${normalizeText(t)} `));
}
