/**
 * Sentence BLEU as AgentBench's ALFWorld harness scores a command against each admissible one (`bleu_score` in
 * `AgentBench.old/src/tasks/alfworld/utils.py:10-16`): NLTK 3.8's `sentence_bleu` with one reference, weights
 * (0.25, 0.25, 0.25, 0.25) and `SmoothingFunction().method4` (k = 5), on whitespace tokens.
 * tests/fixtures/golden/household/bleu.json holds NLTK's own scores for comparison.
 */

const MAX_ORDER = 4;
const K = 5;

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join('\u0000');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** NLTK's `modified_precision`: clipped n-gram matches over hypothesis n-grams (denominator at least 1). */
function modifiedPrecision(reference: readonly string[], hypothesis: readonly string[], n: number): { numerator: number; denominator: number } {
  const counts = ngramCounts(hypothesis, n);
  const ref = ngramCounts(reference, n);
  let numerator = 0;
  let total = 0;
  for (const [gram, count] of counts) {
    numerator += Math.min(count, ref.get(gram) ?? 0);
    total += count;
  }
  return { numerator, denominator: Math.max(1, total) };
}

/** Python's math.fsum (correctly rounded) for a handful of terms, by Shewchuk's partials. */
function fsum(values: readonly number[]): number {
  const partials: number[] = [];
  for (let x of values) {
    let i = 0;
    for (let y of partials) {
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    partials.push(x);
  }
  return partials.reduce((a, b) => a + b, 0);
}

export function sentenceBleu(reference: readonly string[], hypothesis: readonly string[]): number {
  const precisions = Array.from({ length: MAX_ORDER }, (_, i) => modifiedPrecision(reference, hypothesis, i + 1));
  if (precisions[0].numerator === 0) return 0;
  const hypLen = hypothesis.length;
  const refLen = reference.length;
  const bp = hypLen > refLen ? 1 : hypLen === 0 ? 0 : Math.exp(1 - refLen / hypLen);
  // method4: a zero count becomes 1 / (2^incvnt * k / ln(hyp_len)) over its denominator.
  let incvnt = 1;
  const p = precisions.map(({ numerator, denominator }) => {
    if (numerator === 0 && hypLen > 1) return 1 / ((2 ** incvnt++ * K) / Math.log(hypLen)) / denominator;
    return numerator / denominator;
  });
  return bp * Math.exp(fsum(p.filter((x) => x > 0).map((x) => 0.25 * Math.log(x))));
}

/** `bleu_score(reference, candidate)`: Python's str.split() tokens. */
export function bleuScore(reference: string, candidate: string): number {
  const tokens = (s: string) => s.split(/\s+/).filter((t) => t !== '');
  return sentenceBleu(tokens(reference), tokens(candidate));
}

/**
 * `process_action`'s snapping (utils.py:26-54, limit 0.01): a command that is not admissible becomes the admissible
 * one with the highest BLEU (the first on a tie, as numpy's argmax), when that score is above the limit.
 */
export function snapToAdmissible(command: string, choices: readonly string[], limit = 0.01): string {
  if (choices.length === 0 || choices.includes(command)) return command;
  let best = 0;
  let bestScore = -Infinity;
  choices.forEach((choice, i) => {
    const score = bleuScore(choice, command);
    if (score > bestScore) [best, bestScore] = [i, score];
  });
  return bestScore > limit ? choices[best] : command;
}
