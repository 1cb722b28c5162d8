import type { AdapterReport, LoadProgress } from '../../engine/types';
import type { LocalEngine } from '../../engine/local';
import { checkManifest } from '../../engine/manifest-check';
import { estimateStorage, requestPersistentStorage, type StorageEstimateReport, type StoredModelSummary } from '../../models/storage';
import type { AppSettings } from '../settings';
import { keepModelMeta } from '../../offline/model-meta-cache';
import { catalogEntry, spaceShortfall, type CatalogEntry } from './catalog';

export type ModelStoreEngine = Pick<LocalEngine, 'adapter' | 'download' | 'storedModels' | 'deleteStoredModel'>;

export interface DownloadState {
  modelId: string;
  progress: LoadProgress | null;
  /** Every file seen so far with its bytes, in the order the downloader reported them. */
  files: { path: string; loaded: number; total: number }[];
  done: boolean;
}

/** Reactive state of the model manager: the catalog, the store, one download at a time. */
export class ModelManager {
  adapter = $state<AdapterReport | null>(null);
  entries = $state<CatalogEntry[]>([]);
  /** Models whose manifest could not be read, with the reason. */
  unavailable = $state<{ id: string; reason: string }[]>([]);
  stored = $state<StoredModelSummary[]>([]);
  estimate = $state<StorageEstimateReport | null>(null);
  persisted = $state<boolean | null>(null);
  download = $state<DownloadState | null>(null);
  error = $state<string | null>(null);

  constructor(
    private readonly engine: ModelStoreEngine,
    private readonly settings: AppSettings,
  ) {}

  get busy(): boolean {
    return !!this.download && !this.download.done;
  }

  async refresh(models: { id: string }[]): Promise<void> {
    try {
      this.adapter ??= await this.engine.adapter();
    } catch (e) {
      this.error = `Could not ask the browser for its GPU: ${(e as Error).message}`;
      return;
    }
    const entries: CatalogEntry[] = [];
    const unavailable: { id: string; reason: string }[] = [];
    for (const { id } of models) {
      const url = new URL(`${id}/manifest.json`, this.settings.modelBaseUrl).href;
      try {
        const response = await fetch(url, { cache: 'no-cache' });
        if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
        const manifest = checkManifest(await response.json(), id, url);
        entries.push(catalogEntry(this.adapter, manifest, { device: this.settings.device, dtype: this.settings.dtype }));
      } catch (e) {
        unavailable.push({ id, reason: (e as Error).message });
      }
    }
    this.entries = entries;
    this.unavailable = unavailable;
    await this.refreshStorage();
  }

  async refreshStorage(): Promise<void> {
    try {
      this.stored = await this.engine.storedModels();
      this.estimate = await estimateStorage();
      this.persisted = (await navigator.storage?.persisted?.()) ?? null;
    } catch (e) {
      this.error = `Could not read the model storage: ${(e as Error).message}`;
    }
  }

  /** What stops a download before it starts: the device can't run the model, or it won't fit. */
  blocker(entry: CatalogEntry): string | null {
    if (!entry.verdict.runnable) return entry.verdict.reason;
    return spaceShortfall(entry, entry.verdict.dtype, this.stored.find((s) => s.id === entry.id), this.estimate?.available ?? null).message;
  }

  async startDownload(entry: CatalogEntry): Promise<void> {
    if (this.busy) return;
    this.error = null;
    const state: DownloadState = { modelId: entry.id, progress: null, files: [], done: false };
    this.download = state;
    // Asking before a large download is when the browser most likely grants it.
    this.persisted = await requestPersistentStorage().catch(() => false);
    try {
      await this.engine.download(
        { modelId: entry.id, modelBaseUrl: this.settings.modelBaseUrl, device: this.settings.device, dtype: this.settings.dtype },
        (p) => this.onProgress(p),
      );
      await keepModelMeta([new URL('index.json', this.settings.modelBaseUrl).href, new URL(`${entry.id}/manifest.json`, this.settings.modelBaseUrl).href]);
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      if (this.download) this.download.done = true;
      await this.refreshStorage();
    }
  }

  private onProgress(p: LoadProgress): void {
    const d = this.download;
    if (!d) return;
    d.progress = p;
    if (!p.file) return;
    const file = d.files.find((f) => f.path === p.file);
    if (file) {
      file.loaded = p.loaded;
      file.total = p.total;
    } else {
      d.files.push({ path: p.file, loaded: p.loaded, total: p.total });
    }
  }

  async remove(id: string): Promise<void> {
    this.error = null;
    try {
      await this.engine.deleteStoredModel(id);
    } catch (e) {
      this.error = (e as Error).message;
    }
    await this.refreshStorage();
  }

  async askPersistence(): Promise<void> {
    this.persisted = await requestPersistentStorage().catch(() => false);
  }
}
