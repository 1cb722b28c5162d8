import { afterEach, describe, expect, it } from 'vitest';
import { ensureModelFiles, type EnsureModelFilesOptions } from '../../src/lib/models/downloader';
import {
  DownloadAbortedError,
  ModelDownloadFailedError,
  ModelFileCorruptError,
  ModelFileMissingError,
  ModelManifestError,
  StorageQuotaError,
} from '../../src/lib/models/errors';
import { MemoryFileStore } from '../../src/lib/models/memory-store';
import type { DownloadProgress } from '../../src/lib/models/progress';
import { Sha256 } from '../../src/lib/models/sha256';
import { manifestFor, modelBaseUrl, pseudoRandomBytes, servedUnder, sha256Hex } from './support/model-fixture';
import { startRangeServer, type RangeServer } from './support/range-server';

const MODEL = 'tiny-test-model';

const CONTENT = {
  'config.json': new TextEncoder().encode('{"model_type":"llama"}'),
  'tokenizer.json': pseudoRandomBytes(20_000, 1),
  'onnx/model_q4.onnx': pseudoRandomBytes(50_000, 2),
  'onnx/model_q4.onnx_data': pseudoRandomBytes(600_000, 3),
};
type Path = keyof typeof CONTENT;
const BIG: Path = 'onnx/model_q4.onnx_data';
const MANIFEST = manifestFor(MODEL, CONTENT, ['config.json', 'tokenizer.json'], { q4: ['onnx/model_q4.onnx', BIG] });
const sha = sha256Hex;

let server: RangeServer;
afterEach(async () => server?.close());

async function serve(overrides: Partial<Record<Path, Uint8Array>> = {}): Promise<RangeServer> {
  server = await startRangeServer(servedUnder(MODEL, { ...CONTENT, ...overrides }));
  return server;
}

const served = (path: Path) => `/models/${MODEL}/${path}`;
const requestsFor = (path: Path) => server.requests.filter((r) => r.path === served(path));

function ensure(store: MemoryFileStore, extra: Partial<EnsureModelFilesOptions> = {}) {
  return ensureModelFiles({
    baseUrl: modelBaseUrl(server, MODEL),
    manifest: MANIFEST,
    dtype: 'q4',
    store,
    storage: null,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...extra,
  });
}

async function storedBytes(store: MemoryFileStore, path: string): Promise<Uint8Array | null> {
  const blob = await store.read(MODEL, path);
  return blob ? new Uint8Array(await blob.arrayBuffer()) : null;
}

async function expectAllStoredAndVerified(store: MemoryFileStore) {
  for (const [path, data] of Object.entries(CONTENT)) {
    expect(sha(await storedBytes(store, path) as Uint8Array), path).toBe(sha(data));
    expect((await store.stat(MODEL, path))?.record.verified, path).toEqual({ bytes: data.length, sha256: sha(data) });
  }
}

describe('ensureModelFiles against a local HTTP server', () => {
  it('downloads every file of the dtype, verified, with per-file and total progress', async () => {
    await serve();
    const store = new MemoryFileStore();
    const events: DownloadProgress[] = [];
    const result = await ensure(store, { onProgress: (p) => events.push(p) });

    await expectAllStoredAndVerified(store);
    expect(result.files.map((f) => [f.path, f.outcome])).toEqual([
      ['config.json', 'downloaded'],
      ['tokenizer.json', 'downloaded'],
      ['onnx/model_q4.onnx', 'downloaded'],
      [BIG, 'downloaded'],
    ]);
    const total = 22 + 20_000 + 50_000 + 600_000;
    expect(result.networkBytes).toBe(total);
    expect(server.requests).toHaveLength(4);
    expect(server.requests.every((r) => r.range === null)).toBe(true);

    const done = events.filter((e) => e.status === 'done');
    expect(done.map((e) => e.file)).toEqual(Object.keys(CONTENT));
    expect(done.every((e) => e.fileLoaded === e.fileTotal && e.total === total)).toBe(true);
    expect(events.at(-1)).toMatchObject({ loaded: total, total, secondsLeft: 0 });
    const loaded = events.map((e) => e.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
  });

  it('makes no request at all when every file is stored and verified', async () => {
    await serve();
    const store = new MemoryFileStore();
    await ensure(store);
    server.requests.length = 0;

    const events: DownloadProgress[] = [];
    const result = await ensure(store, { onProgress: (p) => events.push(p) });
    expect(server.requests).toHaveLength(0);
    expect(result.networkBytes).toBe(0);
    expect(result.files.every((f) => f.outcome === 'stored')).toBe(true);
    expect(events.map((e) => e.status)).toEqual(['stored', 'stored', 'stored', 'stored']);
  });

  it('resumes a dropped connection with a Range request, without fetching written bytes again', async () => {
    await serve();
    server.hooks.set(served(BIG), { dropAfter: 150_000 });
    const store = new MemoryFileStore();
    const result = await ensure(store);

    expect(requestsFor(BIG).map((r) => r.range)).toEqual([null, 'bytes=150000-']);
    expect(result.networkBytes).toBe(22 + 20_000 + 50_000 + 600_000);
    await expectAllStoredAndVerified(store);
  });

  it('keeps a partial file across sessions and resumes it in the next one', async () => {
    await serve();
    server.hooks.set(served(BIG), { dropAfter: 250_000 });
    const store = new MemoryFileStore();
    await expect(ensure(store, { retry: { attempts: 1 }, checkpointBytes: 64 * 1024 })).rejects.toThrow(
      ModelDownloadFailedError,
    );
    const partial = await store.stat(MODEL, BIG);
    expect(partial?.size).toBe(250_000);
    expect(partial?.record.verified).toBeUndefined();

    server.requests.length = 0;
    const result = await ensure(store);
    expect(server.requests).toEqual([{ path: served(BIG), range: 'bytes=250000-' }]);
    expect(result.networkBytes).toBe(350_000);
    expect(result.files.find((f) => f.path === BIG)?.outcome).toBe('resumed');
    await expectAllStoredAndVerified(store);
  });

  it('continues the hash from a saved checkpoint, rehashing only the stored bytes after it', async () => {
    await serve();
    server.hooks.set(served(BIG), { dropAfter: 300_000 });
    const store = new MemoryFileStore();
    await expect(ensure(store, { retry: { attempts: 1 } })).rejects.toThrow(ModelDownloadFailedError);
    // As if the session died 230,001 bytes after the last checkpoint was saved.
    const checkpoint = (await Sha256.create()).update(CONTENT[BIG].subarray(0, 69_999)).saveState();
    await store.setRecord(MODEL, BIG, { checkpoint });

    server.requests.length = 0;
    const result = await ensure(store);
    expect(server.requests).toEqual([{ path: served(BIG), range: 'bytes=300000-' }]);
    expect(result.networkBytes).toBe(300_000);
    await expectAllStoredAndVerified(store);
  });

  it('ignores a checkpoint that claims more bytes than the file holds', async () => {
    await serve();
    server.hooks.set(served(BIG), { dropAfter: 300_000 });
    const store = new MemoryFileStore();
    await expect(ensure(store, { retry: { attempts: 1 } })).rejects.toThrow(ModelDownloadFailedError);
    const beyond = (await Sha256.create()).update(CONTENT[BIG].subarray(0, 400_000)).saveState();
    await store.setRecord(MODEL, BIG, { checkpoint: beyond });

    server.requests.length = 0;
    await ensure(store);
    expect(server.requests).toEqual([{ path: served(BIG), range: 'bytes=300000-' }]);
    await expectAllStoredAndVerified(store);
  });

  it('restarts a file cleanly when the server ignores the Range header', async () => {
    await serve();
    server.hooks.set(served(BIG), { dropAfter: 100_000 });
    const store = new MemoryFileStore();
    await expect(ensure(store, { retry: { attempts: 1 } })).rejects.toThrow(ModelDownloadFailedError);

    server.requests.length = 0;
    server.hooks.set(served(BIG), { ignoreRange: true });
    const result = await ensure(store);
    expect(server.requests).toEqual([{ path: served(BIG), range: 'bytes=100000-' }]);
    expect(result.networkBytes).toBe(600_000);
    expect(result.files.find((f) => f.path === BIG)?.outcome).toBe('downloaded');
    await expectAllStoredAndVerified(store);
  });

  it('gives up on a server that ignores Range and always drops at the same point, instead of looping', async () => {
    await serve();
    server.hooks.set(served(BIG), { ignoreRange: true, dropAfter: 100_000, dropEveryTime: true });
    const error = await ensure(new MemoryFileStore(), { retry: { attempts: 4, baseDelayMs: 1 } }).catch((e) => e);
    expect(error).toBeInstanceOf(ModelDownloadFailedError);
    // The first attempt gets furthest; three more that get no further exhaust the 4 allowed.
    expect(requestsFor(BIG).map((r) => r.range)).toEqual([null, 'bytes=100000-', 'bytes=100000-', 'bytes=100000-']);
  });

  it('starts over when a 206 carries a different range than asked', async () => {
    await serve();
    server.hooks.set(served(BIG), { dropAfter: 100_000 });
    const store = new MemoryFileStore();
    await expect(ensure(store, { retry: { attempts: 1 } })).rejects.toThrow(ModelDownloadFailedError);

    server.requests.length = 0;
    server.hooks.set(served(BIG), { wrongRangeStart: 5 });
    await ensure(store);
    expect(server.requests.map((r) => r.range)).toEqual(['bytes=100000-', null]);
    await expectAllStoredAndVerified(store);
  });

  it('rejects a file with a corrupt byte, names both hashes, and keeps nothing of it', async () => {
    const corrupt = CONTENT[BIG].slice();
    corrupt[123_456] ^= 0x01;
    await serve({ [BIG]: corrupt });
    const store = new MemoryFileStore();

    const error = await ensure(store).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileCorruptError);
    const corruptError = error as ModelFileCorruptError;
    expect(corruptError.file).toBe(BIG);
    expect(corruptError.expected.sha256).toBe(sha(CONTENT[BIG]));
    expect(corruptError.actual.sha256).toBe(sha(corrupt));
    expect(corruptError.message).toContain(sha(corrupt));
    expect(corruptError.message).toContain(sha(CONTENT[BIG]));
    expect(await store.stat(MODEL, BIG)).toBeNull();
    expect((await store.stat(MODEL, 'config.json'))?.record.verified).toBeDefined();

    // Nothing of it counts as stored: the next attempt downloads it again.
    server.requests.length = 0;
    server.files.set(served(BIG), CONTENT[BIG]);
    await ensure(store);
    expect(server.requests).toEqual([{ path: served(BIG), range: null }]);
    await expectAllStoredAndVerified(store);
  });

  it('rejects a file the server serves truncated and keeps nothing of it', async () => {
    await serve({ [BIG]: CONTENT[BIG].subarray(0, 400_000) });
    const store = new MemoryFileStore();
    const error = await ensure(store).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileCorruptError);
    expect((error as ModelFileCorruptError).actual.bytes).toBe(400_000);
    expect((error as Error).message).toContain('size 400000 bytes, expected 600000');
    expect(requestsFor(BIG).map((r) => r.range)).toEqual([null, 'bytes=400000-']);
    expect(await store.stat(MODEL, BIG)).toBeNull();
  });

  it('rejects a file longer than the manifest says without storing the excess', async () => {
    const longer = new Uint8Array(50_010);
    longer.set(CONTENT['onnx/model_q4.onnx']);
    await serve({ 'onnx/model_q4.onnx': longer });
    const store = new MemoryFileStore();
    await expect(ensure(store)).rejects.toThrow(ModelFileCorruptError);
    expect(await store.stat(MODEL, 'onnx/model_q4.onnx')).toBeNull();
  });

  it('starts over once when bytes stored by an earlier session turn out corrupt', async () => {
    await serve();
    server.hooks.set(served(BIG), { dropAfter: 200_000 });
    const store = new MemoryFileStore();
    await expect(ensure(store, { retry: { attempts: 1 } })).rejects.toThrow(ModelDownloadFailedError);
    // Damage the stored prefix (as a bad disk or an old bug might), keeping its length.
    const prefix = (await storedBytes(store, BIG)) as Uint8Array;
    prefix[10] ^= 0xff;
    const writer = await store.openWriter(MODEL, BIG, { truncate: true });
    await writer.append(prefix);
    await writer.close();

    server.requests.length = 0;
    const result = await ensure(store);
    expect(server.requests.map((r) => r.range)).toEqual(['bytes=200000-', null]);
    expect(result.files.find((f) => f.path === BIG)?.outcome).toBe('downloaded');
    await expectAllStoredAndVerified(store);
  });

  it('downloads a file once more from scratch when the pieces of a resumed download do not hash right', async () => {
    await serve();
    server.hooks.set(served(BIG), { dropAfter: 200_000, corruptRanges: true });
    const store = new MemoryFileStore();
    const result = await ensure(store);
    expect(requestsFor(BIG).map((r) => r.range)).toEqual([null, 'bytes=200000-', null]);
    expect(result.files.find((f) => f.path === BIG)?.outcome).toBe('downloaded');
    await expectAllStoredAndVerified(store);
  });

  it('gives up with a corrupt error when the clean retry of a resumed file is wrong too', async () => {
    const corrupt = CONTENT[BIG].slice();
    corrupt[500_000] ^= 0x01;
    await serve({ [BIG]: corrupt });
    server.hooks.set(served(BIG), { dropAfter: 200_000 });
    const store = new MemoryFileStore();
    await expect(ensure(store)).rejects.toThrow(ModelFileCorruptError);
    expect(requestsFor(BIG).map((r) => r.range)).toEqual([null, 'bytes=200000-', null]);
    expect(await store.stat(MODEL, BIG)).toBeNull();
  });

  it('names the URL of a missing file', async () => {
    await serve();
    server.files.delete(served('tokenizer.json'));
    const store = new MemoryFileStore();
    const error = await ensure(store).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileMissingError);
    expect((error as ModelFileMissingError).url).toBe(`${server.baseUrl}${served('tokenizer.json')}`);
    expect((error as Error).message).toContain(`HTTP 404): ${server.baseUrl}${served('tokenizer.json')}`);
  });

  it('retries a briefly unavailable server, and gives up with the cause after the allowed attempts', async () => {
    await serve();
    server.hooks.set(served('config.json'), { statuses: [503, 502] });
    await ensure(new MemoryFileStore());
    expect(requestsFor('config.json')).toHaveLength(3);

    server.hooks.set(served('config.json'), { statuses: [503, 503, 503] });
    const error = await ensure(new MemoryFileStore(), { retry: { attempts: 3, baseDelayMs: 1 } }).catch((e) => e);
    expect(error).toBeInstanceOf(ModelDownloadFailedError);
    expect((error as Error).message).toContain('after 3 attempts: HTTP 503');
  });

  it('refuses up front, with sizes, when storage has less room than the bytes still needed', async () => {
    await serve();
    const store = new MemoryFileStore();
    const storage = { estimate: async () => ({ quota: 500_000, usage: 200_000 }) };
    const error = await ensure(store, { storage }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageQuotaError);
    expect((error as StorageQuotaError).neededBytes).toBe(670_022);
    expect((error as StorageQuotaError).availableBytes).toBe(300_000);
    expect((error as Error).message).toContain('670.0 KB more is needed, but only 300.0 KB is available');
    expect(server.requests).toHaveLength(0);
  });

  it('a download refused up front leaves nothing in the store that could pass for a partial download', async () => {
    await serve();
    const store = new MemoryFileStore();
    const started: string[] = [];
    const onStart = async () => {
      started.push('start');
      // What the engine stores with the files (the manifest): only once the download really starts.
      const writer = await store.openWriter(MODEL, 'manifest.json');
      await writer.append(new TextEncoder().encode('{}'));
      await writer.close();
    };
    const storage = { estimate: async () => ({ quota: 500_000, usage: 200_000 }) };
    await expect(ensure(store, { storage, onStart })).rejects.toThrow(StorageQuotaError);
    expect(started).toEqual([]);
    expect(await store.listModels()).toEqual([]);
    expect(server.requests).toHaveLength(0);

    // With room, onStart runs once, before the first request.
    const requestsAtStart: number[] = [];
    await ensure(store, { onStart: async () => (requestsAtStart.push(server.requests.length), onStart()) });
    expect(requestsAtStart).toEqual([0]);
    expect(started).toEqual(['start']);
    await expectAllStoredAndVerified(store);
  });

  it('a refused download keeps everything the store already held for the model', async () => {
    await serve();
    server.hooks.set(served(BIG), { dropAfter: 100_000 });
    const store = new MemoryFileStore();
    await expect(ensure(store, { retry: { attempts: 1 } })).rejects.toThrow(ModelDownloadFailedError);
    const before = (await store.list(MODEL)).map((f) => [f.path, f.size, !!f.record.verified]);
    expect(before.length).toBeGreaterThan(0);
    const storage = { estimate: async () => ({ quota: 1_000_000, usage: 999_000 }) };
    let started = false;
    await expect(ensure(store, { storage, onStart: async () => void (started = true) })).rejects.toThrow(StorageQuotaError);
    expect(started).toBe(false);
    expect((await store.list(MODEL)).map((f) => [f.path, f.size, !!f.record.verified])).toEqual(before);
  });

  it('counts only the bytes still missing against the quota', async () => {
    await serve();
    server.hooks.set(served(BIG), { dropAfter: 400_000 });
    const store = new MemoryFileStore();
    await expect(ensure(store, { retry: { attempts: 1 } })).rejects.toThrow(ModelDownloadFailedError);
    // 200,000 bytes are missing; 250,000 are free.
    const storage = { estimate: async () => ({ quota: 1_000_000, usage: 750_000 }) };
    await ensure(store, { storage });
    await expectAllStoredAndVerified(store);
  });

  it('turns a QuotaExceededError while writing into a StorageQuotaError that keeps the cause', async () => {
    await serve();
    class FullStore extends MemoryFileStore {
      override async openWriter(model: string, path: string, options?: { truncate?: boolean }) {
        const writer = await super.openWriter(model, path, options);
        return {
          get size() {
            return writer.size;
          },
          append: async (chunk: Uint8Array) => {
            if (path === BIG && writer.size + chunk.length > 300_000) {
              throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
            }
            await writer.append(chunk);
          },
          close: () => writer.close(),
        };
      }
    }
    const store = new FullStore();
    const storage = { estimate: async () => ({ quota: 10_000_000, usage: 9_000_000 }) };
    const error = await ensure(store, { storage }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageQuotaError);
    expect((error as StorageQuotaError).availableBytes).toBe(1_000_000);
    expect((error as StorageQuotaError).neededBytes).toBe(600_000 - ((await store.stat(MODEL, BIG))?.size ?? 0));
    expect(((error as Error).cause as Error).name).toBe('QuotaExceededError');
    expect((await store.stat(MODEL, BIG))?.record.verified).toBeUndefined();

    // Without an estimate the message still says how much is needed.
    const unknown = await ensure(new FullStore(), { storage: null }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(StorageQuotaError);
    expect((unknown as StorageQuotaError).availableBytes).toBeUndefined();
    expect((unknown as Error).message).toMatch(/^Not enough storage for the model: [\d.]+ KB more is needed, but the browser refused to store more\./);
  });

  it('stops on abort, keeps what was written, and resumes from there', async () => {
    await serve();
    const store = new MemoryFileStore();
    const controller = new AbortController();
    const error = await ensure(store, {
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: (p) => {
        if (p.file === BIG && p.fileLoaded >= 100_000) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadAbortedError);
    const kept = (await store.stat(MODEL, BIG))?.size ?? 0;
    expect(kept).toBeGreaterThanOrEqual(100_000);
    expect(kept).toBeLessThan(600_000);

    server.requests.length = 0;
    await ensure(store);
    expect(server.requests).toEqual([{ path: served(BIG), range: `bytes=${kept}-` }]);
    await expectAllStoredAndVerified(store);
  });

  it('leaves other files in the model namespace alone (the engine keeps manifest.json there)', async () => {
    await serve();
    const store = new MemoryFileStore();
    const writer = await store.openWriter(MODEL, 'manifest.json');
    await writer.append(new TextEncoder().encode('{}'));
    await writer.close();
    await store.setRecord(MODEL, 'manifest.json', { verified: { bytes: 2, sha256: sha(new TextEncoder().encode('{}')) } });
    await ensure(store);
    expect((await store.stat(MODEL, 'manifest.json'))?.record.verified?.bytes).toBe(2);
  });

  it('says which dtypes exist when the manifest lacks the requested one', async () => {
    await serve();
    const error = await ensure(new MemoryFileStore(), { dtype: 'q4f16' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelManifestError);
    expect((error as Error).message).toContain('has no q4f16 files (its manifest lists: q4)');
  });
});
