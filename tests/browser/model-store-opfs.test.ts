/**
 * The OPFS file store in real headless Chromium: the downloader in a dedicated worker (sync access
 * handles), surviving a page reload mid-file, served back through the transformers.js cache adapter,
 * two workers sharing one download and a delete waiting for a download through Web Locks; and the
 * main-thread path (createWritable) used by the storage view.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnsureResult } from '../../src/lib/models/downloader';
import type { StoredModelSummary } from '../../src/lib/models/storage';
import { manifestFor, pseudoRandomBytes, servedUnder, sha256Hex } from '../unit/support/model-fixture';
import type { WorkerRequest } from './support/opfs-store-worker';
import { STORE_WORKER, startStoreHarness, type StoreHarness } from './support/store-harness';

const MODEL = 'opfs-test-model';
const CONTENT = {
  'config.json': pseudoRandomBytes(300, 1),
  'onnx/model_q4.onnx': pseudoRandomBytes(40_000, 2),
  'onnx/model_q4.onnx_data': pseudoRandomBytes(3_000_000, 3),
};
const BIG = 'onnx/model_q4.onnx_data';
const MANIFEST = manifestFor(MODEL, CONTENT, ['config.json'], { q4: ['onnx/model_q4.onnx', BIG] });

let harness: StoreHarness;
let page: Page;
beforeAll(async () => {
  harness = await startStoreHarness(servedUnder(MODEL, CONTENT));
  page = harness.page;
});
afterAll(async () => harness?.close());

const inWorker = <T>(request: WorkerRequest) => harness.inWorker<T>(request);
const baseUrl = () => `${harness.origin}/models/${MODEL}`;
const bigRequests = () => harness.models.requests.filter((r) => r.path === `/models/${MODEL}/${BIG}`);

describe('OPFS model store in Chromium', () => {
  it('writes through sync access handles in the worker', async () => {
    expect(await inWorker({ op: 'features' })).toEqual({ syncAccessHandle: true });
  });

  it('downloads into OPFS, then a second run makes no request', async () => {
    const first = await inWorker<EnsureResult>({ op: 'ensure', baseUrl: baseUrl(), manifest: MANIFEST });
    expect(first.files.map((f) => f.outcome)).toEqual(['downloaded', 'downloaded', 'downloaded']);
    expect(first.networkBytes).toBe(3_040_300);

    harness.models.requests.length = 0;
    const second = await inWorker<EnsureResult>({ op: 'ensure', baseUrl: baseUrl(), manifest: MANIFEST });
    expect(second.files.map((f) => f.outcome)).toEqual(['stored', 'stored', 'stored']);
    expect(harness.models.requests).toEqual([]);
  });

  it('serves the stored file to transformers.js with its length and exact bytes', async () => {
    const served = await inWorker<{ contentLength: string; sha256: string }>({
      op: 'serve',
      baseUrl: baseUrl(),
      manifest: MANIFEST,
      path: BIG,
    });
    expect(served).toMatchObject({ contentLength: '3000000', sha256: sha256Hex(CONTENT[BIG]) });
  });

  it('keeps a partial file across a page reload and resumes it with a Range request', async () => {
    expect(await inWorker<number>({ op: 'delete', id: MODEL })).toBe(3_040_300);
    harness.models.hooks.set(`/models/${MODEL}/${BIG}`, { dropAfter: 1_200_000, dropDelayMs: 300 });
    harness.models.requests.length = 0;
    await expect(inWorker({ op: 'ensure', baseUrl: baseUrl(), manifest: MANIFEST, attempts: 1 })).rejects.toThrow(
      /failed after 1 attempt: connection lost after 1200000 of 3000000 bytes/,
    );
    const [partial] = await inWorker<StoredModelSummary[]>({ op: 'list', manifest: MANIFEST });
    const stored = partial.files.find((f) => f.path === BIG);
    expect(stored).toEqual({ path: BIG, bytes: 1_200_000, verified: false });
    expect(partial.dtypes.q4?.complete).toBe(false);

    await page.reload();
    harness.models.requests.length = 0;
    const resumed = await inWorker<EnsureResult>({ op: 'ensure', baseUrl: baseUrl(), manifest: MANIFEST });
    expect(bigRequests().map((r) => r.range)).toEqual(['bytes=1200000-']);
    expect(resumed.networkBytes).toBe(1_800_000);
    const [complete] = await inWorker<StoredModelSummary[]>({ op: 'list', manifest: MANIFEST });
    expect(complete.dtypes.q4).toEqual({ complete: true, storedBytes: 3_040_300, totalBytes: 3_040_300 });
    const served = await inWorker<{ sha256: string }>({ op: 'serve', baseUrl: baseUrl(), manifest: MANIFEST, path: BIG });
    expect(served.sha256).toBe(sha256Hex(CONTENT[BIG]));
  });

  it('lets two workers ask for the same model at once: one downloads, the other waits and finds it stored', async () => {
    await inWorker({ op: 'delete', id: MODEL });
    harness.models.requests.length = 0;
    const replies = await page.evaluate(
      ({ url, request }) =>
        Promise.all(
          [0, 1].map(
            () =>
              new Promise<{ ok: boolean; value?: unknown; error?: unknown }>((resolve) => {
                const worker = new Worker(url, { type: 'module' });
                worker.onmessage = (event) => (resolve(event.data), worker.terminate());
                worker.postMessage(request);
              }),
          ),
        ),
      { url: STORE_WORKER, request: { op: 'ensure', baseUrl: baseUrl(), manifest: MANIFEST } satisfies WorkerRequest },
    );
    expect(replies.every((r) => r.ok)).toBe(true);
    const outcomes = replies.map((r) => (r.value as EnsureResult).files.map((f) => f.outcome).join(',')).sort();
    expect(outcomes).toEqual(['downloaded,downloaded,downloaded', 'stored,stored,stored']);
    expect(bigRequests()).toHaveLength(1);
  });

  it('makes a delete from the page wait until the download of that model in the worker has ended', async () => {
    await inWorker({ op: 'delete', id: MODEL });
    harness.models.hooks.set(`/models/${MODEL}/${BIG}`, { dropAfter: 1_000_000, dropDelayMs: 1500 });
    const download = inWorker({ op: 'ensure', baseUrl: baseUrl(), manifest: MANIFEST, attempts: 1 }).then(
      () => 'finished',
      (error: Error) => (error.message.includes('connection lost after 1000000') ? 'dropped' : error.message),
    );
    await expect.poll(() => bigRequests().length).toBeGreaterThan(0);
    let downloadEnded = false;
    void download.then(() => (downloadEnded = true));
    const freed = await page.evaluate(async (id) => {
      const load = new Function('m', 'return import(m)') as (m: string) => Promise<Record<string, any>>;
      const { OpfsFileStore } = await load('/src/lib/models/opfs-store.ts');
      const { deleteStoredModel } = await load('/src/lib/models/storage.ts');
      return deleteStoredModel(new OpfsFileStore(), id);
    }, MODEL);
    // The connection is held open 1.5 s after the first 1,000,000 bytes: a delete that did not wait returns long before.
    expect(downloadEnded).toBe(true);
    expect(await download).toBe('dropped');
    expect(freed).toBe(1_040_300);
    expect(await inWorker<StoredModelSummary[]>({ op: 'list', manifest: MANIFEST })).toEqual([]);
  });

  it('a write refused for quota (Chromium’s quota override) is the quota error with both amounts, and the file stays resumable', async () => {
    await inWorker({ op: 'delete', id: MODEL });
    const cdp = await page.context().newCDPSession(page);
    const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: harness.origin, quotaSize: usage + 1_500_000 });
    let stored = 0;
    try {
      // The up-front check trusts an estimate that promises room (measured here: this Chromium's estimate in the
      // worker does not reflect the override at all), so the refusal comes from the write itself.
      const refused = await inWorker({ op: 'ensure', baseUrl: baseUrl(), manifest: MANIFEST, wrongEstimate: true }).catch((e: Error) => e);
      expect(refused).toBeInstanceOf(Error);
      expect((refused as Error).message).toMatch(
        /^Not enough storage for the model: [\d.]+ MB more is needed, but the browser refused to store more, although it reported 1\.00 TB available to this site\. Delete stored models/,
      );
      const [partial] = await inWorker<StoredModelSummary[]>({ op: 'list', manifest: MANIFEST });
      stored = partial.files.find((f) => f.path === BIG)!.bytes;
      expect(stored).toBeLessThan(1_500_000);
    } finally {
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: harness.origin });
    }
    // Room again: the download goes on from exactly the bytes the store kept (measured: the refused handle's data
    // does not survive its close, so that is 0 here) and the file verifies.
    harness.models.requests.length = 0;
    await inWorker<EnsureResult>({ op: 'ensure', baseUrl: baseUrl(), manifest: MANIFEST });
    expect(bigRequests().map((r) => r.range)).toEqual([stored > 0 ? `bytes=${stored}-` : null]);
    const served = await inWorker<{ sha256: string }>({ op: 'serve', baseUrl: baseUrl(), manifest: MANIFEST, path: BIG });
    expect(served.sha256).toBe(sha256Hex(CONTENT[BIG]));
  });

  it('works on the main thread through createWritable (the storage view)', async () => {
    const result = await page.evaluate(async () => {
      const module = '/src/lib/models/opfs-store.ts';
      // A plain import() here would be rewritten by Vitest's transform; the page must do the importing.
      const { OpfsFileStore } = await new Function('m', 'return import(m)')(module);
      const store = new OpfsFileStore('main-thread-test');
      const writer = await store.openWriter('m', 'onnx/a.bin');
      await writer.append(new Uint8Array([1, 2, 3]));
      await writer.append(new Uint8Array([4, 5]));
      await writer.close();
      const again = await store.openWriter('m', 'onnx/a.bin');
      const sizeOnReopen = again.size;
      await again.append(new Uint8Array([6]));
      await again.close();
      await store.setRecord('m', 'onnx/a.bin', { verified: { bytes: 6, sha256: 'x' } });
      const bytes = Array.from(new Uint8Array(await (await store.read('m', 'onnx/a.bin')).arrayBuffer()));
      const listed = await store.list('m');
      // Reopening for writing drops the verified mark before any byte changes.
      await (await store.openWriter('m', 'onnx/a.bin')).close();
      const afterReopen = await store.stat('m', 'onnx/a.bin');
      await store.deleteModel('m');
      return { hasSync: 'createSyncAccessHandle' in FileSystemFileHandle.prototype, sizeOnReopen, bytes, listed, afterReopen, models: await store.listModels() };
    });
    expect(result).toEqual({
      hasSync: false,
      sizeOnReopen: 5,
      bytes: [1, 2, 3, 4, 5, 6],
      listed: [{ path: 'onnx/a.bin', size: 6, record: { verified: { bytes: 6, sha256: 'x' } } }],
      afterReopen: { path: 'onnx/a.bin', size: 6, record: {} },
      models: [],
    });
  });
});
