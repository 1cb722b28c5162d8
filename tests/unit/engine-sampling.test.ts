import { describe, expect, test } from 'vitest';
import { argmax, sampleToken } from '../../src/lib/engine/sampling';
import { mulberry32 as createRng } from '../../src/lib/util/random';

describe('sampling', () => {
  test('temperature 0 is greedy: the index of the largest logit, first on ties', () => {
    expect(argmax([0.1, 3, -2, 3])).toBe(1);
    expect(sampleToken([0.1, 3, -2, 3.5], { temperature: 0, topP: 0.8 }, () => 0.99)).toBe(3);
  });

  test('top_p keeps only the nucleus: with one token holding 90% mass and top_p 0.8, it is always chosen', () => {
    // softmax([ln 9, 0, 0, ...]) over 2 tokens: 0.9 / 0.1
    const logits = [Math.log(9), 0];
    for (const r of [0, 0.3, 0.7, 0.999]) expect(sampleToken(logits, { temperature: 1, topP: 0.8 }, () => r)).toBe(0);
  });

  test('with top_p 1 the sampled frequencies follow the softmax', () => {
    const logits = [Math.log(1), Math.log(3)]; // 25% / 75%
    const rng = createRng(42);
    let ones = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) ones += sampleToken(logits, { temperature: 1, topP: 1 }, rng);
    expect(ones / n).toBeGreaterThan(0.73);
    expect(ones / n).toBeLessThan(0.77);
  });

  test('low temperature sharpens towards the argmax', () => {
    const logits = [1, 1.2, 0.8];
    const rng = createRng(7);
    const picks = Array.from({ length: 500 }, () => sampleToken(logits, { temperature: 0.01, topP: 1 }, rng));
    expect(picks.every((p) => p === 1)).toBe(true);
  });

  test('the PRNG is reproducible from a seed and differs across seeds', () => {
    const a = createRng(1), b = createRng(1), c = createRng(2);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
