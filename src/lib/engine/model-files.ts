/**
 * Gets a model's files into verified browser storage (OPFS) and points transformers.js at them, so the
 * runtime never reads a file that was not checked against the manifest, and a reload costs no download.
 */
import type { ModelDtype, LoadProgress } from './types';
import type { ModelManifest } from '../models/manifest';
import { ensureModelFiles } from '../models/downloader';
import { deleteStoredModel, listStoredModels, type StoredModelSummary } from '../models/storage';
import { OpfsFileStore } from '../models/opfs-store';
import { createModelFileCache, useModelFileCache, type TransformersEnv } from '../models/transformers-cache';
import { DownloadAbortedError, ModelFileCorruptError, ModelFileMissingError, StorageQuotaError } from '../models/errors';
import { EngineError } from './errors';
import { checkManifest } from './manifest-check';

const MANIFEST = 'manifest.json';
let store: OpfsFileStore | null = null;
/** The text each fetched manifest was parsed from: stored beside the files once a download really starts. */
const manifestTexts = new WeakMap<ModelManifest, string>();

function modelStore(): OpfsFileStore {
  if (!OpfsFileStore.isAvailable()) {
    throw new EngineError('storage-quota', 'This browser offers no Origin Private File System to keep model files in. Use a recent Chrome, Edge, Firefox or Safari, outside private browsing.');
  }
  return (store ??= new OpfsFileStore());
}


/**
 * The manifest from the model origin; the stored copy when the origin can't be reached (offline), so a
 * stored model keeps working without a network. The fetched copy is stored only by `downloadModelFiles`
 * once its download starts: a model refused before that (no room, this device can't run it) must not be
 * listed in the storage view as a partial download.
 */
export async function fetchManifest(modelsBaseUrl: string, modelId: string): Promise<ModelManifest> {
  const url = new URL(`${modelId}/${MANIFEST}`, modelsBaseUrl).href;
  let response: Response | null = null;
  try {
    response = await fetch(url, { cache: 'no-cache' });
  } catch {
    response = null;
  }
  if (response?.ok) {
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new EngineError('file-corrupt', `${url} is not valid JSON. Re-run the model builder, which writes it.`);
    }
    const manifest = checkManifest(parsed, modelId, url);
    manifestTexts.set(manifest, text);
    return manifest;
  }
  const stored = await readStoredManifest(modelId);
  if (stored) return checkManifest(JSON.parse(stored), modelId, url);
  if (response) {
    throw new EngineError('download-failed', `The model origin answered HTTP ${response.status} for ${url}. Check that the model "${modelId}" is served there.`, { url, status: response.status });
  }
  throw new EngineError('download-failed', `Could not reach ${url} and this model is not stored in the browser. Check your connection or the model origin setting.`, { url });
}

async function saveManifest(modelId: string, text: string): Promise<void> {
  const s = modelStore();
  const bytes = new TextEncoder().encode(text);
  const writer = await s.openWriter(modelId, MANIFEST, { truncate: true });
  try {
    await writer.append(bytes);
  } finally {
    await writer.close();
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  await s.setRecord(modelId, MANIFEST, { verified: { bytes: bytes.length, sha256 } });
}

async function readStoredManifest(modelId: string): Promise<string | null> {
  try {
    const blob = await modelStore().read(modelId, MANIFEST);
    return blob ? await blob.text() : null;
  } catch {
    return null;
  }
}

let originalFetch: TransformersEnv['fetch'] | null = null;

/** Downloads and verifies a model's files for one dtype into the store, without loading anything. */
export async function downloadModelFiles(options: {
  baseUrl: string;
  manifest: ModelManifest;
  dtype: ModelDtype;
  onProgress: (p: LoadProgress) => void;
  signal?: AbortSignal;
}): Promise<void> {
  const { manifest, dtype } = options;
  try {
    await ensureModelFiles({
      baseUrl: new URL(`${manifest.id}/`, options.baseUrl).href,
      manifest,
      dtype,
      store: modelStore(),
      signal: options.signal,
      onStart: async () => {
        const text = manifestTexts.get(manifest);
        if (text === undefined) return;
        await saveManifest(manifest.id, text).catch(() => {
          // Storage may be full or unavailable; writing the files reports that with the numbers.
        });
      },
      onProgress: (p) =>
        options.onProgress({
          file: p.file,
          loaded: p.fileLoaded,
          total: p.fileTotal,
          totalLoaded: p.loaded,
          totalBytes: p.total,
          phase: 'download',
          bytesPerSecond: p.bytesPerSecond || undefined,
          secondsLeft: p.secondsLeft ?? undefined,
        }),
    });
  } catch (e) {
    if (e instanceof ModelFileMissingError) throw new EngineError('download-failed', e.message, { url: e.url, status: e.status });
    if (e instanceof ModelFileCorruptError) throw new EngineError('file-corrupt', e.message, { file: e.file });
    if (e instanceof StorageQuotaError) throw new EngineError('storage-quota', e.message, { needed: e.neededBytes, available: e.availableBytes });
    if (e instanceof DownloadAbortedError) throw new EngineError('download-failed', e.message);
    throw new EngineError('download-failed', (e as Error).message);
  }
}

/** Downloads the files, then points transformers.js at the verified store for them. */
export async function prepareModelFiles(
  t: { env: unknown },
  options: { baseUrl: string; manifest: ModelManifest; dtype: ModelDtype; onProgress: (p: LoadProgress) => void; signal?: AbortSignal },
): Promise<void> {
  const env = t.env as TransformersEnv;
  originalFetch ??= env.fetch;
  env.fetch = originalFetch;
  const modelUrl = new URL(`${options.manifest.id}/`, options.baseUrl).href;
  useModelFileCache(env, { modelsBaseUrl: options.baseUrl, cache: createModelFileCache(modelStore(), [{ baseUrl: modelUrl, manifest: options.manifest }]) });
  await downloadModelFiles(options);
}

/** What the store holds, judged against each model's stored manifest (complete or partial per dtype). */
export async function storedModels(): Promise<StoredModelSummary[]> {
  const s = modelStore();
  const manifests: ModelManifest[] = [];
  for (const id of await s.listModels()) {
    const text = await readStoredManifest(id);
    if (!text) continue;
    try {
      manifests.push(JSON.parse(text) as ModelManifest);
    } catch {
      // A damaged stored manifest only loses the per-dtype verdict; the files are still listed.
    }
  }
  return listStoredModels(s, manifests);
}

export function deleteStoredModelFiles(id: string): Promise<number> {
  return deleteStoredModel(modelStore(), id);
}
