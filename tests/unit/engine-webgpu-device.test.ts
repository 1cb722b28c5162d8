import { describe, expect, it } from 'vitest';
import { needsSubgrouplessDevice, subgrouplessFeatures } from '../../src/lib/engine/webgpu-device';

const adapter = (features: string[], subgroupMinSize?: number) => ({ features: new Set(features), info: { subgroupMinSize } });

describe('the device without subgroups (onnxruntime-web FlashAttention workaround)', () => {
  it('is used only with subgroups narrower than 8 lanes', () => {
    expect(needsSubgrouplessDevice(adapter(['subgroups', 'subgroup-size-control'], 4))).toBe(true); // SwiftShader
    expect(needsSubgrouplessDevice(adapter(['subgroups'], 8))).toBe(false); // Intel
    expect(needsSubgrouplessDevice(adapter(['subgroups'], 32))).toBe(false); // NVIDIA, AMD RDNA
    expect(needsSubgrouplessDevice(adapter([], 4))).toBe(false); // no subgroups: onnxruntime already avoids them
    expect(needsSubgrouplessDevice(adapter(['subgroups']))).toBe(false); // browser that doesn't report the size
  });

  it('asks for every feature but the subgroup ones and Chromium\'s experimental ones', () => {
    const features = ['shader-f16', 'subgroups', 'subgroup-size-control', 'timestamp-query', 'chromium-experimental-timestamp-query-inside-passes'];
    expect(subgrouplessFeatures(adapter(features, 4))).toEqual(['shader-f16', 'timestamp-query']);
  });
});
