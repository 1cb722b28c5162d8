import { describe, expect, it } from 'vitest';
import { viewFromHash } from '../../src/lib/ui/views';

describe('viewFromHash', () => {
  it('reads a known view from the address and falls back to the task gallery', () => {
    expect(viewFromHash('#chat')).toBe('chat');
    expect(viewFromHash('#/free')).toBe('free');
    expect(viewFromHash('#models')).toBe('models');
    expect(viewFromHash('')).toBe('tasks');
    expect(viewFromHash('#nope')).toBe('tasks');
  });
});
