import { describe, expect, it } from 'vitest';
import { WEBGPU_WARMUP_PASSES, isCpuAdapter, warmupPasses } from '../../src/lib/engine/warmup';

describe('warm-up passes', () => {
  it('meet every WebGPU program variant on a hardware adapter: a 32+ token prefill, a decode step, extensions of 4+ and 2-3 tokens', () => {
    const passes = warmupPasses('webgpu', { architecture: 'hopper' });
    expect(passes).toBe(WEBGPU_WARMUP_PASSES);
    expect(passes[0]).toBeGreaterThanOrEqual(32);
    expect(passes.slice(1)).toEqual(expect.arrayContaining([1, 4, 2]));
  });

  it('stay one pass of BOS on wasm and on CPU-emulated adapters (SwiftShader, fallback adapters)', () => {
    expect(warmupPasses('wasm', {})).toEqual([1]);
    expect(warmupPasses('webgpu', { architecture: 'swiftshader' })).toEqual([1]);
    expect(warmupPasses('webgpu', { architecture: 'ampere', fallback: true })).toEqual([1]);
    expect(isCpuAdapter({ architecture: 'SwiftShader' })).toBe(true);
    expect(isCpuAdapter({ architecture: undefined, fallback: false })).toBe(false);
  });
});
