import type { AdapterReport } from './types';

/** Asks the browser (page or worker) for a WebGPU adapter and reports what the engine needs to know. */
export async function probeAdapter(): Promise<AdapterReport> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { available: false, shaderF16: false };
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch {
    adapter = null;
  }
  if (!adapter) return { available: false, shaderF16: false };
  const info = adapter.info;
  // isFallbackAdapter moved from the adapter to its info in the spec; browsers have either or neither.
  const fallback = (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter ?? (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    available: true,
    vendor: info?.vendor || undefined,
    architecture: info?.architecture || undefined,
    description: info?.description || undefined,
    ...(typeof fallback === 'boolean' ? { fallback } : {}),
    shaderF16: adapter.features.has('shader-f16'),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}
