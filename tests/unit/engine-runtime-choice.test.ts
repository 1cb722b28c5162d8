import { describe, expect, test } from 'vitest';
import { chooseRuntime } from '../../src/lib/engine/runtime-choice';
import { EngineError } from '../../src/lib/engine/errors';
import type { AdapterReport } from '../../src/lib/engine/types';
import type { ModelManifest } from '../../src/lib/models/manifest';

const GiB = 1024 ** 3;
function manifest(over: Partial<ModelManifest> = {}, tensor = 100 * 1024 ** 2, gpu = 5 * GiB): ModelManifest {
  const entry = { files: [], bytes: 4 * GiB, gpuBytes: gpu, maxTensorBytes: tensor };
  return {
    format: 1, id: 'm', label: 'Model M', architecture: 'llama', contextLength: 4096, vocabSize: 32000, numLayers: 32,
    hiddenSize: 4096, numKeyValueHeads: 32, headDim: 128, chatTemplate: 'agent-flan', stopTokenIds: [2, 30387], common: [],
    dtypes: { q4f16: entry, q4: entry, fp32: { ...entry, maxTensorBytes: tensor * 8, gpuBytes: gpu * 6 } },
    ...over,
  };
}
const f16: AdapterReport = { available: true, vendor: 'nvidia', architecture: 'hopper', shaderF16: true, maxBufferSize: 2 * GiB, maxStorageBufferBindingSize: 2 * GiB };
const noF16: AdapterReport = { ...f16, vendor: 'google', architecture: 'swiftshader', shaderF16: false, maxBufferSize: GiB, maxStorageBufferBindingSize: GiB };
const none: AdapterReport = { available: false, shaderF16: false };

describe('chooseRuntime', () => {
  test('WebGPU with shader-f16 picks q4f16', () => {
    expect(chooseRuntime(f16, manifest())).toMatchObject({ device: 'webgpu', dtype: 'q4f16' });
  });
  test('WebGPU without shader-f16 picks q4 and says why', () => {
    const c = chooseRuntime(noF16, manifest());
    expect(c).toMatchObject({ device: 'webgpu', dtype: 'q4' });
    expect(c.reasons.join(' ')).toMatch(/shader-f16/);
  });
  test('no adapter falls back to wasm with a notice that it is slow', () => {
    const c = chooseRuntime(none, manifest({}, 1024, 100 * 1024 ** 2));
    expect(c.device).toBe('wasm');
    expect(c.reasons.join(' ')).toMatch(/slower/);
  });
  test('overrides win when allowed', () => {
    expect(chooseRuntime(f16, manifest(), { dtype: 'q4' }).dtype).toBe('q4');
    expect(chooseRuntime(f16, manifest({}, 1024, 1024), { device: 'wasm' }).device).toBe('wasm');
  });
  test('q4f16 on an adapter without shader-f16 is refused with the reason', () => {
    expect(() => chooseRuntime(noF16, manifest(), { dtype: 'q4f16' })).toThrow(/shader-f16/);
  });
  test('a dtype the model lacks is refused, naming what it has', () => {
    const m = manifest();
    delete m.dtypes.fp32;
    expect(() => chooseRuntime(f16, m, { dtype: 'fp32' })).toThrow(/q4f16, q4/);
  });
  test('a tensor larger than the adapter allows is refused before downloading', () => {
    try {
      chooseRuntime(noF16, manifest({}, 2 * GiB));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EngineError);
      expect((e as EngineError).code).toBe('model-too-large');
      expect((e as Error).message).toMatch(/2048 MiB.*1024 MiB/);
    }
  });
  test('a 7B model is refused on wasm (4 GiB address space)', () => {
    expect(() => chooseRuntime(none, manifest())).toThrow(/wasm backend can address/);
  });
  test('WebGPU requested where there is none is a no-webgpu error', () => {
    expect(() => chooseRuntime(none, manifest(), { device: 'webgpu' })).toThrow(/no WebGPU adapter/);
  });
});

describe('a software WebGPU adapter', () => {
  const small = () => manifest({}, 1024, 100 * 1024 ** 2);
  const fallback: AdapterReport = { ...f16, vendor: 'some vendor', architecture: 'cpu', shaderF16: false, fallback: true };
  test('SwiftShader (by name) or isFallbackAdapter: wasm is preferred, and the reason says why and how to force WebGPU', () => {
    for (const adapter of [noF16, fallback]) {
      const c = chooseRuntime(adapter, small());
      expect(c.device).toBe('wasm');
      expect(c.reasons.join(' ')).toMatch(/software.*\?device=webgpu/);
    }
  });
  test('?device=webgpu still uses it', () => {
    const c = chooseRuntime(noF16, small(), { device: 'webgpu' });
    expect(c.device).toBe('webgpu');
    expect(c.reasons.join(' ')).toMatch(/requested by setting/);
  });
  test('a hardware adapter is kept, and a model too large for wasm stays on the software adapter', () => {
    expect(chooseRuntime(f16, small()).device).toBe('webgpu');
    expect(chooseRuntime({ ...f16, fallback: false }, small()).device).toBe('webgpu');
    expect(chooseRuntime(noF16, manifest()).device).toBe('webgpu');
    // A tensor beyond wasm's address space too: the adapter's limits decide (and refuse it).
    expect(() => chooseRuntime(noF16, manifest({}, 64 * GiB, 100 * 1024 ** 2))).toThrow(/GPU buffers/);
  });
});
