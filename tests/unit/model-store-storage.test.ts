import { afterEach, describe, expect, it } from 'vitest';
import { ensureModelFiles } from '../../src/lib/models/downloader';
import { MemoryFileStore } from '../../src/lib/models/memory-store';
import {
  deleteStoredModel,
  estimateStorage,
  listStoredModels,
  requestPersistentStorage,
  type StorageManagerLike,
} from '../../src/lib/models/storage';
import { manifestFor, modelBaseUrl, pseudoRandomBytes, servedUnder } from './support/model-fixture';
import { startRangeServer, type RangeServer } from './support/range-server';

const CONTENT = {
  'config.json': pseudoRandomBytes(100, 1),
  'onnx/model_q4.onnx': pseudoRandomBytes(1_000, 2),
  'onnx/model_q4.onnx_data': pseudoRandomBytes(40_000, 3),
  'onnx/model_q4f16.onnx': pseudoRandomBytes(1_000, 4),
  'onnx/model_q4f16.onnx_data': pseudoRandomBytes(30_000, 5),
};
const A = manifestFor('model-a', CONTENT, ['config.json'], {
  q4: ['onnx/model_q4.onnx', 'onnx/model_q4.onnx_data'],
  q4f16: ['onnx/model_q4f16.onnx', 'onnx/model_q4f16.onnx_data'],
});
const B = manifestFor('model-b', CONTENT, ['config.json'], { q4: ['onnx/model_q4.onnx', 'onnx/model_q4.onnx_data'] });

let server: RangeServer;
afterEach(async () => server?.close());

describe('storage view', () => {
  it('lists models with sizes, verified files and which dtypes are complete; delete frees them', async () => {
    server = await startRangeServer({ ...servedUnder('model-a', CONTENT), ...servedUnder('model-b', CONTENT) });
    const store = new MemoryFileStore();
    const options = { store, storage: null, retry: { attempts: 1 } };
    await ensureModelFiles({ ...options, baseUrl: modelBaseUrl(server, 'model-a'), manifest: A, dtype: 'q4' });
    server.hooks.set('/models/model-b/onnx/model_q4.onnx_data', { dropAfter: 10_000 });
    await expect(
      ensureModelFiles({ ...options, baseUrl: modelBaseUrl(server, 'model-b'), manifest: B, dtype: 'q4' }),
    ).rejects.toThrow();

    const [a, b] = await listStoredModels(store, [A, B]);
    expect(a.id).toBe('model-a');
    expect(a.bytes).toBe(41_100);
    expect(a.files).toEqual([
      { path: 'config.json', bytes: 100, verified: true },
      { path: 'onnx/model_q4.onnx', bytes: 1_000, verified: true },
      { path: 'onnx/model_q4.onnx_data', bytes: 40_000, verified: true },
    ]);
    expect(a.dtypes).toEqual({
      q4: { complete: true, storedBytes: 41_100, totalBytes: 41_100 },
      q4f16: { complete: false, storedBytes: 100, totalBytes: 31_100 },
    });
    expect(b.bytes).toBe(11_100);
    expect(b.files.find((f) => f.path === 'onnx/model_q4.onnx_data')).toEqual({
      path: 'onnx/model_q4.onnx_data',
      bytes: 10_000,
      verified: false,
    });
    expect(b.dtypes.q4).toEqual({ complete: false, storedBytes: 11_100, totalBytes: 41_100 });

    expect(await deleteStoredModel(store, 'model-b')).toBe(11_100);
    expect((await listStoredModels(store)).map((m) => m.id)).toEqual(['model-a']);
  });

  it('asks for persistence only when storage is not persistent yet', async () => {
    const calls: string[] = [];
    const manager = (persisted: boolean, granted: boolean): StorageManagerLike => ({
      estimate: async () => ({}),
      persisted: async () => (calls.push('persisted'), persisted),
      persist: async () => (calls.push('persist'), granted),
    });
    expect(await requestPersistentStorage(manager(true, false))).toBe(true);
    expect(calls).toEqual(['persisted']);
    calls.length = 0;
    expect(await requestPersistentStorage(manager(false, true))).toBe(true);
    expect(calls).toEqual(['persisted', 'persist']);
    // A worker's StorageManager has no persist().
    expect(await requestPersistentStorage({ estimate: async () => ({}), persisted: async () => false })).toBe(false);
  });

  it('reports usage, quota and what is still available', async () => {
    expect(await estimateStorage({ estimate: async () => ({ usage: 2_000, quota: 10_000 }) })).toEqual({
      usage: 2_000,
      quota: 10_000,
      available: 8_000,
    });
    expect(await estimateStorage({ estimate: async () => ({}) })).toBeNull();
  });
});
