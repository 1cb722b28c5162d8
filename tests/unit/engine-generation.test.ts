/** The pieces every engine's generation loop shares (src/lib/engine/generation.ts). */
import { describe, expect, it } from 'vitest';
import { checkContext, cutAtStop, generationTimings, tokenEvent } from '../../src/lib/engine/generation';
import { EngineError } from '../../src/lib/engine/errors';

describe('generation', () => {
  it('refuses a prompt that leaves no room for the new tokens, with the numbers', () => {
    expect(() => checkContext(4000, 96, 4096)).not.toThrow();
    const e = (() => {
      try {
        checkContext(4000, 97, 4096);
      } catch (e) {
        return e as EngineError;
      }
    })();
    expect(e).toBeInstanceOf(EngineError);
    expect(e?.code).toBe('context-overflow');
    expect(e?.message).toMatch(/4000 tokens .* 97 new tokens .* 4097 > the model's context of 4096/);
  });

  it('cuts at the earliest stop string and holds back a tail that may grow into one', () => {
    expect(cutAtStop('Thought: ok\nObservation: x', ['\nObservation:', 'ok'])).toBe('Thought: ');
    expect(cutAtStop('Thought: ok', ['\nObservation:'])).toBeNull();
    expect(tokenEvent('Action: ls\nObs', ['\nObservation:'], 5, 2)).toEqual({ text: 'Action: ls', tokens: 5, tokensPerSecond: 2 });
  });

  it('counts the decode rate from the second token on', () => {
    expect(generationTimings({ promptTokens: 10, reusedTokens: 4, prefillMs: 5, ttftMs: 6 }, 11, 2).decodeTokensPerSecond).toBe(5);
    expect(generationTimings({ promptTokens: 10, reusedTokens: 0, prefillMs: 5, ttftMs: 6 }, 1, 2).decodeTokensPerSecond).toBe(0);
    expect(tokenEvent('a', [], 1, 0).tokensPerSecond).toBe(0);
  });
});
