import { describe, expect, test } from 'vitest';
import { findStop, visibleLength } from '../../src/lib/engine/stop-strings';
import { reusablePrefix } from '../../src/lib/engine/kv-reuse';

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
    expect(reusablePrefix([1, 5, 6], [1, 5, 6, 7, 8])).toBe(3);
  });
  test('keeps the common prefix when the prompt departs from the cache', () => {
    expect(reusablePrefix([1, 5, 6, 9], [1, 5, 7, 7])).toBe(2);
    expect(reusablePrefix([2, 5], [1, 5, 6])).toBe(0);
  });
  test('leaves at least one prompt token to run', () => {
    expect(reusablePrefix([1, 5, 6], [1, 5, 6])).toBe(2);
    expect(reusablePrefix([1, 5, 6], [1, 5])).toBe(1);
    expect(reusablePrefix([1], [1])).toBe(0);
  });
  test('an empty cache reuses nothing', () => {
    expect(reusablePrefix([], [1, 2])).toBe(0);
  });
});
