import { isVerified, type FileStore } from './file-store';
import type { ModelDtype, ModelManifest } from './manifest';
import { neededFiles } from './manifest-files';
import { withModelLock, type LockManagerLike } from './model-lock';

/** The parts of `navigator.storage` used here (a worker's StorageManager has no `persist`). */
export interface StorageManagerLike {
  estimate(): Promise<{ quota?: number; usage?: number }>;
  persist?(): Promise<boolean>;
  persisted?(): Promise<boolean>;
}

export function browserStorage(): StorageManagerLike | null {
  return typeof navigator !== 'undefined' && typeof navigator.storage?.estimate === 'function' ? navigator.storage : null;
}

/**
 * Asks the browser not to evict stored models under storage pressure. Returns whether storage is
 * persistent now. `persist()` exists only on a window's navigator: call this from the UI, not the worker.
 */
export async function requestPersistentStorage(storage = browserStorage()): Promise<boolean> {
  if (!storage) return false;
  if (await storage.persisted?.()) return true;
  return (await storage.persist?.()) ?? false;
}

export interface StorageEstimateReport {
  usage: number;
  quota: number;
  /** quota - usage: what this site may still write. */
  available: number;
}

export async function estimateStorage(storage = browserStorage()): Promise<StorageEstimateReport | null> {
  if (!storage) return null;
  const { quota, usage } = await storage.estimate();
  if (quota === undefined || usage === undefined) return null;
  return { usage, quota, available: quota - usage };
}

export interface StoredModelSummary {
  id: string;
  /** The stored manifest's label, when a manifest is stored. */
  label?: string;
  /** Bytes on disk for this model, partial files included. */
  bytes: number;
  files: { path: string; bytes: number; verified: boolean }[];
  /** For each dtype of the model's manifest (when given): whether every file it needs is stored and verified. */
  dtypes: Partial<Record<ModelDtype, { complete: boolean; storedBytes: number; totalBytes: number }>>;
}

/** What the store holds, per model; with the models' manifests, which dtypes are ready to load. */
export async function listStoredModels(store: FileStore, manifests: ModelManifest[] = []): Promise<StoredModelSummary[]> {
  const summaries: StoredModelSummary[] = [];
  for (const id of (await store.listModels()).sort()) {
    const stored = await store.list(id);
    const byPath = new Map(stored.map((file) => [file.path, file]));
    const summary: StoredModelSummary = {
      id,
      bytes: stored.reduce((sum, file) => sum + file.size, 0),
      files: stored
        .map((file) => ({ path: file.path, bytes: file.size, verified: !!file.record.verified && file.record.verified.bytes === file.size }))
        .sort((a, b) => a.path.localeCompare(b.path)),
      dtypes: {},
    };
    const manifest = manifests.find((m) => m.id === id);
    if (manifest?.label) summary.label = manifest.label;
    for (const dtype of Object.keys(manifest?.dtypes ?? {}) as ModelDtype[]) {
      const files = neededFiles(manifest as ModelManifest, dtype);
      summary.dtypes[dtype] = {
        complete: files.every((file) => isVerified(byPath.get(file.path) ?? null, file)),
        storedBytes: files.reduce((sum, file) => sum + Math.min(byPath.get(file.path)?.size ?? 0, file.bytes), 0),
        totalBytes: files.reduce((sum, file) => sum + file.bytes, 0),
      };
    }
    summaries.push(summary);
  }
  return summaries;
}

/**
 * Deletes everything stored for a model, partial files included; returns the bytes freed. Waits for a
 * download of the same model (in any tab or worker) to end first: abort it to delete at once.
 */
export function deleteStoredModel(store: FileStore, id: string, options: { locks?: LockManagerLike | null } = {}): Promise<number> {
  return withModelLock(
    id,
    async () => {
      const freed = (await store.list(id)).reduce((sum, file) => sum + file.size, 0);
      await store.deleteModel(id);
      return freed;
    },
    options,
  );
}
