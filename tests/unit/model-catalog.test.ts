import { describe, expect, test } from 'vitest';
import { assess, catalogEntry, spaceShortfall } from '../../src/lib/ui/models/catalog';
import type { ModelManifest } from '../../src/lib/models/manifest';
import type { AdapterReport } from '../../src/lib/engine/types';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const file = (path: string, bytes: number) => ({ path, bytes, sha256: '0'.repeat(64) });
const manifest: ModelManifest = {
  format: 1,
  id: 'm',
  label: 'Model M',
  architecture: 'llama',
  contextLength: 4096,
  vocabSize: 32000,
  numLayers: 32,
  hiddenSize: 4096,
  numKeyValueHeads: 32,
  headDim: 128,
  chatTemplate: 'agent-flan',
  stopTokenIds: [2],
  common: [file('config.json', 1000), file('tokenizer.json', 2000)],
  dtypes: {
    q4f16: { files: [file('onnx/model_q4f16.onnx', 100), file('onnx/model_q4f16.onnx_data', 3 * GiB)], bytes: 3 * GiB + 3100, gpuBytes: 5 * GiB, maxTensorBytes: 250 * MiB },
    q4: { files: [file('onnx/model_q4.onnx', 100), file('onnx/model_q4.onnx_data', 4 * GiB)], bytes: 4 * GiB + 3100, gpuBytes: 6 * GiB, maxTensorBytes: 500 * MiB },
  },
};
const gpu = (over: Partial<AdapterReport> = {}): AdapterReport => ({
  available: true,
  vendor: 'v',
  shaderF16: true,
  maxBufferSize: 1 * GiB,
  maxStorageBufferBindingSize: 1 * GiB,
  ...over,
});

describe('model catalog', () => {
  test('lists each dtype with its files, download bytes and GPU needs', () => {
    const entry = catalogEntry(gpu(), manifest);
    expect(entry.contextLength).toBe(4096);
    expect(entry.dtypes).toEqual([
      { dtype: 'q4f16', files: 4, bytes: 3 * GiB + 3100, gpuBytes: 5 * GiB, maxTensorBytes: 250 * MiB },
      { dtype: 'q4', files: 4, bytes: 4 * GiB + 3100, gpuBytes: 6 * GiB, maxTensorBytes: 500 * MiB },
    ]);
  });

  test("uses the engine's rule: shader-f16 picks q4f16, its absence q4", () => {
    expect(assess(gpu(), manifest)).toMatchObject({ runnable: true, device: 'webgpu', dtype: 'q4f16' });
    expect(assess(gpu({ shaderF16: false }), manifest)).toMatchObject({ runnable: true, dtype: 'q4' });
  });

  test("says plainly when the adapter's buffers are too small, with both sizes", () => {
    const verdict = assess(gpu({ shaderF16: false, maxStorageBufferBindingSize: 128 * MiB }), manifest);
    expect(verdict.runnable).toBe(false);
    if (!verdict.runnable) expect(verdict.reason).toMatch(/500 MiB.*128 MiB.*can't run it/);
  });

  test('without WebGPU a model beyond the wasm heap is refused', () => {
    const verdict = assess({ available: false, shaderF16: false }, manifest);
    expect(verdict.runnable).toBe(false);
    if (!verdict.runnable) expect(verdict.reason).toMatch(/4 GiB the wasm backend/);
  });

  test('space shortfall counts what is already stored and names both amounts', () => {
    const entry = catalogEntry(gpu(), manifest);
    const stored = { id: 'm', bytes: GiB, files: [], dtypes: { q4f16: { complete: false, storedBytes: GiB, totalBytes: 3 * GiB + 3100 } } };
    expect(spaceShortfall(entry, 'q4f16', stored, 3 * GiB).message).toBeNull();
    const short = spaceShortfall(entry, 'q4f16', stored, GiB);
    expect(short.missingBytes).toBe(2 * GiB + 3100);
    expect(short.message).toMatch(/needs 2\.15 GB more storage.*only 1\.07 GB/);
    expect(spaceShortfall(entry, 'q4f16', undefined, null).message, 'unknown estimate: no claim').toBeNull();
  });
});
