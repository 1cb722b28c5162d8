import type { AdapterReport, Device, ModelDtype } from './types';
import type { ModelManifest } from '../models/manifest';
import { EngineError } from './errors';

/** wasm32's address space: a model whose weights don't fit in it can't run on the wasm backend. */
const WASM_HEAP_BYTES = 4 * 1024 ** 3;

export interface RuntimeChoice {
  device: Device;
  dtype: ModelDtype;
  reasons: string[];
}

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

const adapterName = (adapter: AdapterReport) => [adapter.vendor, adapter.architecture].filter(Boolean).join(' / ') || 'unnamed';

/**
 * A software adapter (the browser's isFallbackAdapter, or SwiftShader by name when the browser does not say):
 * it runs WebGPU on the CPU, where the wasm backend is much faster (the tiny model decodes at 0.7 tokens/s on
 * SwiftShader against 28-40 on wasm, README "Benchmarks").
 */
export function isSoftwareAdapter(adapter: AdapterReport): boolean {
  if (adapter.fallback === true) return true;
  return /swiftshader/i.test([adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' '));
}

/** Whether some build the wasm backend can run (not q4f16) fits its address space, whole and tensor by tensor. */
function fitsWasm(manifest: ModelManifest, dtype?: ModelDtype): boolean {
  const candidates = dtype ? [dtype] : (['q4', 'fp32'] as const);
  return candidates.some((d) => {
    const entry = manifest.dtypes[d];
    return d !== 'q4f16' && !!entry && entry.gpuBytes <= WASM_HEAP_BYTES && entry.maxTensorBytes <= WASM_HEAP_BYTES;
  });
}

/**
 * Picks device and dtype: WebGPU with shader-f16 -> q4f16; WebGPU without it -> q4 (f32 activations);
 * no WebGPU, or a software adapter -> wasm. Overrides win when the model and adapter allow them. Refuses, before any download,
 * a model whose largest tensor exceeds the adapter's buffer limits or that can't fit the wasm heap.
 */
export function chooseRuntime(
  adapter: AdapterReport,
  manifest: ModelManifest,
  override: { device?: Device; dtype?: ModelDtype } = {},
): RuntimeChoice {
  const available = Object.keys(manifest.dtypes) as ModelDtype[];
  const reasons: string[] = [];
  let device: Device;
  if (override.device === 'wasm') {
    device = 'wasm';
    reasons.push('wasm backend requested by setting');
  } else if (adapter.available && isSoftwareAdapter(adapter) && override.device !== 'webgpu' && fitsWasm(manifest, override.dtype)) {
    device = 'wasm';
    reasons.push(
      `the WebGPU adapter is a software one (${adapterName(adapter)}, emulated on the CPU): running on the CPU (wasm) directly is faster; ?device=webgpu uses the adapter anyway`,
    );
  } else if (adapter.available) {
    device = 'webgpu';
    reasons.push(`WebGPU adapter: ${adapterName(adapter)}${override.device === 'webgpu' ? ' (requested by setting)' : ''}`);
  } else if (override.device === 'webgpu') {
    throw new EngineError('no-webgpu', 'WebGPU was requested but this browser offers no WebGPU adapter. Use a browser with WebGPU enabled (recent Chrome or Edge), or switch to the slow wasm backend.');
  } else {
    device = 'wasm';
    reasons.push('no WebGPU adapter: running on the CPU (wasm), which is much slower');
  }

  let dtype: ModelDtype | undefined;
  if (override.dtype) {
    if (!available.includes(override.dtype)) {
      throw new EngineError('unsupported-dtype', `This model has no ${override.dtype} build (it has ${available.join(', ')}). Pick one of those.`, { available });
    }
    if (override.dtype === 'q4f16' && device === 'webgpu' && !adapter.shaderF16) {
      throw new EngineError('unsupported-dtype', 'q4f16 needs the WebGPU feature shader-f16, which this adapter lacks. Use q4 instead.');
    }
    dtype = override.dtype;
    reasons.push(`${dtype} requested by setting`);
  } else {
    const preference: ModelDtype[] =
      device === 'webgpu' && adapter.shaderF16 ? ['q4f16', 'q4', 'fp32'] : ['q4', 'fp32', 'q4f16'];
    dtype = preference.find((d) => available.includes(d) && !(d === 'q4f16' && !(device === 'webgpu' && adapter.shaderF16)));
    if (!dtype) {
      throw new EngineError('unsupported-dtype', `None of this model's builds (${available.join(', ')}) can run here: q4f16 needs WebGPU with shader-f16.`, { available });
    }
    if (device === 'webgpu') {
      reasons.push(adapter.shaderF16 ? 'shader-f16 available: 4-bit weights with f16 activations' : 'no shader-f16: 4-bit weights with f32 activations (q4)');
    }
  }

  const entry = manifest.dtypes[dtype]!;
  if (device === 'webgpu') {
    const limit = Math.min(adapter.maxStorageBufferBindingSize ?? Infinity, adapter.maxBufferSize ?? Infinity);
    if (entry.maxTensorBytes > limit) {
      throw new EngineError(
        'model-too-large',
        `${manifest.label} (${dtype}) needs GPU buffers of ${mib(entry.maxTensorBytes)}, but this adapter allows at most ${mib(limit)}. This device can't run it; try another browser or GPU.`,
        { needed: entry.maxTensorBytes, limit },
      );
    }
    reasons.push(`estimated GPU memory ${gib(entry.gpuBytes)} at ${manifest.contextLength} tokens of context`);
  } else if (entry.gpuBytes > WASM_HEAP_BYTES) {
    throw new EngineError(
      'model-too-large',
      `${manifest.label} (${dtype}) needs about ${gib(entry.gpuBytes)}, more than the 4 GiB the wasm backend can address. It needs a browser with WebGPU.`,
      { needed: entry.gpuBytes, limit: WASM_HEAP_BYTES },
    );
  }
  return { device, dtype, reasons };
}
