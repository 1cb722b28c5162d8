/**
 * The forward passes a model load runs before the first turn, so that what they compile is not compiled
 * during one. onnxruntime-web's WebGPU EP builds a compute pipeline the first time it meets a program
 * variant and caches it for the session; the variants depend on how many new tokens a run has and whether
 * the cache is empty, never on the cached length (cache keys hold ranks, not shapes). Measured with
 * `npx tsx scripts/investigate-webgpu-decode.ts --sequences ...` on onnxruntime-web 1.31.0-dev.20260914
 * (README, "Benchmarks"), the variants a Llama graph from this builder meets are:
 *   - 1 new token on an empty cache, and on a non-empty one (a decode step: GroupQueryAttention's KV copy
 *     with a past);
 *   - 2-3 and 4-31 new tokens on a non-empty cache (the split-reduce attention's two tilings: a cache
 *     extension of a reused turn);
 *   - 32+ new tokens (the FlashAttention prefill) and 4+ (MatMulNBits' wide-tile program).
 * One cache fed 32, 1, 4, then 2 tokens meets them all, so after a load no turn compiles a pipeline
 * (tests/browser/decode-webgpu.test.ts checks it with these passes).
 *
 * Only on a hardware adapter: there a pass costs milliseconds. On a CPU-emulated adapter (SwiftShader) every
 * pass costs over a second (the 32000-row lm_head alone) and compiling is slow too: measured with `npm run
 * bench`, these passes took the tiny model's load from 8.9 to 17.7 s to save 2.1 s of the first turn's TTFT,
 * so there (and on wasm, where nothing compiles) one pass of BOS stays.
 */
import type { AdapterReport, Device } from './types';

export const WEBGPU_WARMUP_PASSES: readonly number[] = [32, 1, 4, 2];

/** A GPU emulated on the CPU: Chromium's SwiftShader, or whatever the browser calls a fallback adapter. */
export function isCpuAdapter(adapter: Pick<AdapterReport, 'architecture' | 'fallback'>): boolean {
  return adapter.fallback === true || /swiftshader/i.test(adapter.architecture ?? '');
}

/** Token counts of the warm-up passes, one after another on one cache (dropped afterwards). */
export function warmupPasses(device: Device, adapter: Pick<AdapterReport, 'architecture' | 'fallback'>): readonly number[] {
  return device === 'webgpu' && !isCpuAdapter(adapter) ? WEBGPU_WARMUP_PASSES : [1];
}
