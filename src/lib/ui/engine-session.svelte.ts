import type { Engine, LoadProgress, LoadReport } from '../engine/types';
import type { ModelIndex } from '../models/manifest';
import { EngineError } from '../engine/errors';
import type { AppSettings } from './settings';
import type { StoredModelSummary } from '../models/storage';
import { keepModelMeta } from '../offline/model-meta-cache';
import { missingModelMessage } from './models/model-guide';

export type EngineStatus = 'idle' | 'loading' | 'ready' | 'generating' | 'error';

/** Reactive state of the one model engine the page uses: which model, load progress, status, last error. */
export class EngineSession {
  status = $state<EngineStatus>('idle');
  progress = $state<LoadProgress | null>(null);
  report = $state<LoadReport | null>(null);
  error = $state<string | null>(null);
  /** Something the visitor should know that is not an error (e.g. the model list came from storage). */
  notice = $state<string | null>(null);
  models = $state<ModelIndex['models']>([]);
  /** The model origin's list, also when a remote engine replaces it in `models` (the Models view still shows it). */
  localModels = $state<ModelIndex['models']>([]);
  modelId = $state<string>('');
  /** The worker was replaced after a crash, a hang or a GPU loss: the model must be loaded again. */
  needsRestart = $state(false);

  constructor(
    readonly engine: Engine & { onFatal?: ((e: EngineError) => void) | null; storedModels?: () => Promise<StoredModelSummary[]> },
    readonly settings: AppSettings,
  ) {
    engine.onFatal = (e) => {
      this.needsRestart = true;
      this.report = null;
      this.status = 'error';
      this.error = e.message;
    };
  }

  /** `select`: offer these models to load (false when a remote engine is in use). */
  async listModels(select = true): Promise<void> {
    const url = new URL('index.json', this.settings.modelBaseUrl).href;
    let index: ModelIndex;
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      index = (await response.json()) as ModelIndex;
    } catch (e) {
      const stored = await this.storedModelList();
      if (stored.length === 0) {
        this.error = `Could not read the model list from ${url} (${(e as Error).message}), and no model is stored in this browser. Check the model origin setting or your connection.`;
        return;
      }
      index = { models: stored };
      this.notice = `The model list at ${url} can't be reached (${(e as Error).message}): showing the ${stored.length === 1 ? 'model' : `${stored.length} models`} stored in this browser.`;
    }
    this.localModels = index.models;
    if (!select) return;
    this.models = index.models;
    const asked = this.settings.modelId;
    if (asked && !index.models.some((m) => m.id === asked)) {
      this.error = missingModelMessage(asked, index.models, this.settings.modelBaseUrl);
      this.modelId = index.models[0]?.id ?? '';
    } else {
      this.modelId = asked ?? index.models[0]?.id ?? '';
    }
  }

  /** Models stored complete in this browser, named from their stored manifests (the offline fallback). */
  private async storedModelList(): Promise<ModelIndex['models']> {
    try {
      const stored = (await this.engine.storedModels?.()) ?? [];
      return stored.filter((m) => Object.values(m.dtypes).some((d) => d?.complete)).map((m) => ({ id: m.id, label: m.label ?? m.id }));
    } catch {
      return [];
    }
  }

  async load(): Promise<void> {
    if (!this.modelId) return;
    this.status = 'loading';
    this.needsRestart = false;
    this.error = null;
    this.report = null;
    this.progress = null;
    try {
      this.report = await this.engine.load(
        { modelId: this.modelId, modelBaseUrl: this.settings.modelBaseUrl, device: this.settings.device, dtype: this.settings.dtype },
        (p) => (this.progress = p),
      );
      this.status = 'ready';
      // The files are stored now: keep what lists and describes them for an offline visit.
      void keepModelMeta([new URL('index.json', this.settings.modelBaseUrl).href, new URL(`${this.modelId}/manifest.json`, this.settings.modelBaseUrl).href]);
    } catch (e) {
      this.status = 'error';
      this.error = (e as Error).message;
    }
  }

  /** Marks a generation's outcome; a non-fatal error leaves the model loaded and usable. */
  failed(e: unknown): void {
    this.error = (e as Error).message;
    const fatal = e instanceof EngineError && e.fatal;
    this.status = fatal ? 'error' : this.report ? 'ready' : 'error';
    if (fatal) {
      this.report = null;
      this.needsRestart = true;
    }
  }
}
