import { describe, expect, it } from 'vitest';
import { getProtocol, protocols } from '../../src/lib/agent/protocols';
import { CASES } from './protocol-corpus.cases';

describe('protocol corpus', () => {
  it('covers every protocol with at least 60 cases in all', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.protocol))).toEqual(new Set(Object.keys(protocols)));
  });

  for (const c of CASES) {
    it(`${c.protocol}: ${c.name}`, () => {
      const result = getProtocol(c.protocol).parse(c.text, { tools: c.tools });
      if ('action' in c) {
        expect(result).toMatchObject({ ok: true, action: c.action });
        if (result.ok) expect(result.action).toEqual(c.action);
        if (c.thought !== undefined) expect(result.thought).toBe(c.thought);
      } else {
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.error).toContain(c.error);
          expect(result.observation.length).toBeGreaterThan(0);
        }
      }
    });
  }
});
