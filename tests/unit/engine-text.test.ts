import { describe, expect, test } from 'vitest';
import { findStop, visibleLength } from '../../src/lib/engine/stop-strings';
import { reusableLength } from '../../src/lib/engine/kv-reuse';

describe('stop strings', () => {
  test('finds the earliest of several stop strings', () => {
    expect(findStop('Thought: x\nObservation: y', ['Observation:', 'x'])).toBe(9);
    expect(findStop('no stop here', ['Observation:'])).toBe(-1);
    expect(findStop('abc', [''])).toBe(-1);
  });

  test('holds back a tail that could become a stop string, and nothing else', () => {
    expect(visibleLength('Action: foo\nObs', ['\nObservation:'])).toBe('Action: foo'.length);
    expect(visibleLength('Action: foo', ['\nObservation:'])).toBe('Action: foo'.length);
    expect(visibleLength('abc', [])).toBe(3);
  });
});

describe('KV cache reuse', () => {
  test('reuses the whole cache when the prompt extends the cached ids', () => {
    expect(reusableLength([1, 5, 6], [1, 5, 6, 7, 8])).toBe(3);
  });
  test('drops the cache when any cached id differs, even at the end', () => {
    expect(reusableLength([1, 5, 6], [1, 5, 9, 7])).toBe(0);
  });
  test('needs at least one new token (its logits continue generation)', () => {
    expect(reusableLength([1, 5, 6], [1, 5, 6])).toBe(0);
    expect(reusableLength([1, 5, 6], [1, 5])).toBe(0);
  });
  test('an empty cache reuses nothing', () => {
    expect(reusableLength([], [1, 2])).toBe(0);
  });
});
