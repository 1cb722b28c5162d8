import * as Comlink from 'comlink';
import type { LlmWorkerApi } from '../../../workers/llm.worker';
import type { StoredModelSummary } from '../models/storage';
import type { AdapterReport, Device, Engine, ModelDtype, GenerateRequest, GenerateResult, LoadOptions, LoadProgress, LoadReport, TokenEvent } from './types';
import { installErrorTransfer } from './comlink-errors';
import { EngineError } from './errors';

/**
 * The page-side Engine: a Comlink client of workers/llm.worker.ts. After a fatal error (GPU device lost,
 * out of memory) or a crash, the worker is replaced so a later `load` starts clean without a page reload.
 */
export class LocalEngine implements Engine {
  private worker!: Worker;
  private remote!: Comlink.Remote<LlmWorkerApi>;
  private lastLoad: LoadOptions | null = null;
  /** Called when the worker died or the GPU was lost: the UI should offer to reload. */
  onFatal: ((error: EngineError) => void) | null = null;

  constructor(private readonly createWorker: () => Worker = defaultWorker) {
    installErrorTransfer();
    this.spawn();
  }

  private spawn(): void {
    this.worker = this.createWorker();
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.fail(new EngineError('runtime', `The model worker crashed (${event.message || 'no message'}). Reload the model to continue; your conversation is kept.`));
    });
    this.remote = Comlink.wrap<LlmWorkerApi>(this.worker);
    const worker = this.worker;
    void this.remote.onDeviceLost(
      Comlink.proxy((message: string) => {
        if (this.worker === worker) this.fail(new EngineError('device-lost', `The GPU device was lost (${message}). Reload the model to continue; your conversation is kept.`));
      }),
    );
  }

  private fail(error: EngineError): void {
    this.worker.terminate();
    this.spawn();
    this.onFatal?.(error);
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (e instanceof EngineError && e.fatal) this.fail(e);
      throw e;
    }
  }

  adapter(): Promise<AdapterReport> {
    return this.remote.adapter();
  }

  load(options: LoadOptions, onProgress?: (p: LoadProgress) => void): Promise<LoadReport> {
    this.lastLoad = options;
    return this.call(() => this.remote.load(options, Comlink.proxy(onProgress ?? (() => {}))));
  }

  /** Downloads and verifies a model's files without loading it (the model manager's download button). */
  download(options: LoadOptions, onProgress?: (p: LoadProgress) => void): Promise<{ device: Device; dtype: ModelDtype; reasons: string[] }> {
    return this.call(() => this.remote.download(options, Comlink.proxy(onProgress ?? (() => {}))));
  }

  storedModels(): Promise<StoredModelSummary[]> {
    return this.remote.storedModels();
  }

  deleteStoredModel(id: string): Promise<number> {
    return this.remote.deleteStoredModel(id);
  }

  /** Loads the last model again, e.g. after a GPU device loss. */
  reload(onProgress?: (p: LoadProgress) => void): Promise<LoadReport> {
    if (!this.lastLoad) throw new EngineError('not-loaded', 'No model was loaded before.');
    return this.load(this.lastLoad, onProgress);
  }

  generate(request: GenerateRequest, onToken?: (e: TokenEvent) => void): Promise<GenerateResult> {
    return this.call(() => this.remote.generate(request, Comlink.proxy(onToken ?? (() => {}))));
  }

  interrupt(): Promise<void> {
    return this.remote.interrupt();
  }

  reset(): Promise<void> {
    return this.remote.reset();
  }

  countTokens(text: string): Promise<number> {
    return this.call(() => this.remote.countTokens(text));
  }

  /** The ids `generate` feeds for this prompt text, BOS included (for tests and diagnostics). */
  tokenize(text: string): Promise<number[]> {
    return this.call(() => this.remote.tokenize(text));
  }

  unload(): Promise<void> {
    return this.remote.unload();
  }

  stats(): Promise<{ cachedTokens: number; kvTensors: number }> {
    return this.remote.stats();
  }

  /** Replaces the worker outright (used by the booth's recovery). */
  restart(): void {
    this.worker.terminate();
    this.spawn();
  }
}

function defaultWorker(): Worker {
  return new Worker(new URL('../../../workers/llm.worker.ts', import.meta.url), { type: 'module', name: 'llm' });
}
