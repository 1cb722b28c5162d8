/// <reference lib="webworker" />
// Runs the model store in a dedicated worker, as workers/llm.worker.ts will: OPFS through sync access handles.
import { ensureModelFiles } from '../../../src/lib/models/downloader';
import type { ModelManifest } from '../../../src/lib/models/manifest';
import { OpfsFileStore } from '../../../src/lib/models/opfs-store';
import { deleteStoredModel, listStoredModels } from '../../../src/lib/models/storage';
import { createModelFileCache } from '../../../src/lib/models/transformers-cache';

export type WorkerRequest =
  /** `wrongEstimate`: the storage estimate promises a terabyte (estimates can be wrong; writes must still be checked). */
  | { op: 'ensure'; baseUrl: string; manifest: ModelManifest; attempts?: number; wrongEstimate?: boolean }
  | { op: 'list'; manifest: ModelManifest }
  | { op: 'serve'; baseUrl: string; manifest: ModelManifest; path: string }
  | { op: 'delete'; id: string }
  | { op: 'features' };

const store = new OpfsFileStore();

async function run(request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'ensure':
      return ensureModelFiles({
        baseUrl: request.baseUrl,
        manifest: request.manifest,
        dtype: 'q4',
        store,
        retry: { attempts: request.attempts ?? 5, baseDelayMs: 10 },
        ...(request.wrongEstimate ? { storage: { estimate: async () => ({ quota: 1e12, usage: 0 }) } } : {}),
      });
    case 'list':
      return listStoredModels(store, [request.manifest]);
    case 'serve': {
      const cache = createModelFileCache(store, [{ baseUrl: request.baseUrl, manifest: request.manifest }]);
      const start = performance.now();
      const response = await cache.match(`${request.baseUrl}/${request.path}`);
      if (!response) return null;
      const body = await response.arrayBuffer();
      const readMs = performance.now() - start;
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body));
      return {
        contentLength: response.headers.get('content-length'),
        sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''),
        readMs,
      };
    }
    case 'delete':
      return deleteStoredModel(store, request.id);
    case 'features':
      return { syncAccessHandle: 'createSyncAccessHandle' in FileSystemFileHandle.prototype };
  }
}

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  try {
    self.postMessage({ ok: true, value: await run(event.data) });
  } catch (error) {
    const e = error as Error;
    self.postMessage({ ok: false, error: { name: e.name, message: e.message } });
  }
};
