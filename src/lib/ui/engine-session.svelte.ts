import type { Engine, LoadProgress, LoadReport } from '../engine/types';
import type { ModelIndex } from '../models/manifest';
import { EngineError } from '../engine/errors';
import type { AppSettings } from './settings';

export type EngineStatus = 'idle' | 'loading' | 'ready' | 'generating' | 'error';

/** Reactive state of the one model engine the page uses: which model, load progress, status, last error. */
export class EngineSession {
  status = $state<EngineStatus>('idle');
  progress = $state<LoadProgress | null>(null);
  report = $state<LoadReport | null>(null);
  error = $state<string | null>(null);
  models = $state<ModelIndex['models']>([]);
  /** The model origin's list, also when a remote engine replaces it in `models` (the Models view still shows it). */
  localModels = $state<ModelIndex['models']>([]);
  modelId = $state<string>('');
  /** The worker was replaced after a crash, a hang or a GPU loss: the model must be loaded again. */
  needsRestart = $state(false);

  constructor(
    readonly engine: Engine & { onFatal?: ((e: EngineError) => void) | null },
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
    try {
      const response = await fetch(new URL('index.json', this.settings.modelBaseUrl));
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const index = (await response.json()) as ModelIndex;
      this.localModels = index.models;
      if (!select) return;
      this.models = index.models;
      this.modelId = this.settings.modelId ?? index.models[0]?.id ?? '';
    } catch (e) {
      this.error = `Could not read the model list from ${this.settings.modelBaseUrl}index.json (${(e as Error).message}). Check the model origin setting or your connection.`;
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
