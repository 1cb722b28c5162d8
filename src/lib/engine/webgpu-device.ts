/**
 * Works around an onnxruntime-web WebGPU kernel bug on adapters whose subgroups are narrower than 8 lanes
 * (Chromium's SwiftShader has 4; some mobile GPUs too).
 *
 * GroupQueryAttention with 32 or more new tokens in one run goes to the FlashAttention prefill shader
 * (`FlashAttentionProgram`). On an adapter with the `subgroups` feature (and not NVIDIA or Apple, which take
 * its shared-memory path) that shader broadcasts K/V through `subgroupShuffle(x, 0..7)` while stepping through
 * the keys `min(subgroup_size, 16)` at a time: with 4-lane subgroups it reads lanes 4..7 that don't exist, so
 * every query that can see 5 or more keys gets a wrong attention output (measured with
 * scripts/repro-gqa-webgpu.ts; see the README's "Known limits"). Fewer than 32 new tokens take a
 * split-reduce path that is right.
 *
 * A device created without `subgroups` makes onnxruntime-web generate shaders without subgroup operations,
 * and the same prefill then runs its shared-memory path, which matches the CPU. Only such adapters get it;
 * every other adapter keeps onnxruntime-web's own device.
 */

/** The smallest subgroup width FlashAttention's subgroup path handles (its else-branch broadcasts 8 lanes). */
export const MIN_SAFE_SUBGROUP_SIZE = 8;

interface AdapterLike {
  features: { has(name: string): boolean; [Symbol.iterator](): Iterator<string> };
  info?: { subgroupMinSize?: number };
}

/** True when onnxruntime-web's FlashAttention prefill would use subgroups narrower than it supports. */
export function needsSubgrouplessDevice(adapter: AdapterLike): boolean {
  const min = adapter.info?.subgroupMinSize;
  return adapter.features.has('subgroups') && typeof min === 'number' && min > 0 && min < MIN_SAFE_SUBGROUP_SIZE;
}

/** Every adapter feature except the subgroup ones (`subgroup-size-control` implies `subgroups`) and Chromium's experimental ones. */
export function subgrouplessFeatures(adapter: AdapterLike): string[] {
  return [...adapter.features].filter((f) => !f.startsWith('subgroup') && !f.startsWith('chromium-'));
}

/**
 * A device with the adapter's features minus subgroups and all of its limits (onnxruntime-web asks for the
 * adapter's limits too: the embedding can exceed the default 128 MiB binding size).
 */
export async function requestSubgrouplessDevice(adapter: GPUAdapter): Promise<GPUDevice> {
  return adapter.requestDevice({
    requiredFeatures: subgrouplessFeatures(adapter as unknown as AdapterLike) as GPUFeatureName[],
    requiredLimits: adapterLimits(adapter),
  });
}

/** Every numeric limit of the adapter, to request a device with all of them. */
export function adapterLimits(adapter: GPUAdapter): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const key in adapter.limits) {
    const value = (adapter.limits as unknown as Record<string, unknown>)[key];
    if (typeof value === 'number') limits[key] = value;
  }
  return limits;
}
