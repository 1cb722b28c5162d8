/**
 * The model runtime inside the worker: a model host (load, device, files: model-host.ts) and, for the loaded
 * model, a decode session (KV state, prefix reuse, the loop: decode-session.ts) on a KV cache chosen for the
 * device (kv-cache.ts). Serialises calls (one generation at a time), keeps device loss and errors typed.
 */
import type { AdapterReport, Device, GenerateRequest, GenerateResult, KvStats, LoadOptions, LoadProgress, LoadReport, ModelDtype, TokenEvent } from './types';
import type { StoredModelSummary } from '../models/storage';
import type { WorkerActivity } from './watchdog';
import { EngineError, classifyRuntimeError } from './errors';
import { probeAdapter } from './webgpu-adapter';
import { warmupPasses } from './warmup';
import { ModelHost, type LoadedModel } from './model-host';
import { DecodeSession } from './decode-session';
import { StopFlag } from './stop-flag';
import * as ort from 'onnxruntime-web/webgpu';
import { GrowingCpuCache, StaticCpuCache, StaticGpuCache, cacheShapeOf, pastName, type KvCache } from './kv-cache';

export { DEFAULTS } from './decode-session';

/** Llama-2's `<s>`; every model this builder makes uses it. */
const BOS_TOKEN_ID = 1;

export class WorkerRuntime {
  private readonly host: ModelHost;
  private loaded: LoadedModel | null = null;
  private decode: DecodeSession | null = null;
  private interrupted = false;
  /**
   * The page's stop flag (stop-flag.ts): shared memory, so a stop reaches the decode loop even while wasm
   * forward passes keep this worker's event loop (and so a Comlink `interrupt()`) from running.
   */
  private stopFlag: StopFlag | null = null;
  private busy = false;
  /** Told when a forward pass starts and ends: the page's watchdog sizes its patience by it (see watchdog.ts). */
  onActivity: ((activity: WorkerActivity) => void) | null = null;

  constructor(runtimeUrls: { wasm: string; mjs: string }) {
    this.host = new ModelHost(runtimeUrls);
  }

  set onDeviceLost(listener: ((message: string) => void) | null) {
    this.host.onDeviceLost = listener;
  }

  async adapter(): Promise<AdapterReport> {
    return probeAdapter();
  }

  async load(options: LoadOptions, onProgress: (p: LoadProgress) => void): Promise<LoadReport> {
    if (this.busy) throw new EngineError('busy', 'The model is busy; stop the running generation first.');
    const started = performance.now();
    await this.unload();
    const { loaded, reasons } = await this.host.load(options, onProgress);
    const { manifest } = loaded;
    const totalBytes = manifest.dtypes[loaded.dtype]!.bytes;
    const phase = (p: LoadProgress['phase']) => onProgress({ file: '', loaded: 0, total: 0, totalLoaded: totalBytes, totalBytes, phase: p });
    try {
      this.decode = new DecodeSession(loaded, createCache(loaded), (tokens, run) => this.step(tokens, run, loaded.device));
    } catch (e) {
      await this.host.unload();
      throw e instanceof EngineError ? e : classifyRuntimeError(e, `preparing the KV cache of ${manifest.label}`);
    }
    this.loaded = loaded;

    // Forward passes that meet every GPU program variant a turn can, so none compiles during one (warmup.ts).
    phase('warmup');
    try {
      for (const tokens of warmupPasses(loaded.device, loaded.adapter)) await this.decode.forward(new Array<number>(tokens).fill(BOS_TOKEN_ID));
    } catch (e) {
      await this.unload();
      throw classifyRuntimeError(e, `warming up ${manifest.label}`);
    }
    this.decode.reset();
    phase('ready');
    return {
      modelId: manifest.id,
      device: loaded.device,
      dtype: loaded.dtype,
      adapter: loaded.adapter,
      reasons,
      loadMs: performance.now() - started,
      contextLength: manifest.contextLength,
    };
  }

  download(options: LoadOptions, onProgress: (p: LoadProgress) => void): Promise<{ device: Device; dtype: ModelDtype; reasons: string[] }> {
    return this.host.download(options, onProgress);
  }

  storedModels(): Promise<StoredModelSummary[]> {
    return this.host.storedModels();
  }

  deleteStoredModel(id: string): Promise<number> {
    if (this.busy) throw new EngineError('busy', 'Stop the running generation before deleting a model.');
    return this.host.deleteStoredModel(id);
  }

  private ready(): { loaded: LoadedModel; decode: DecodeSession } {
    if (this.host.deviceLost) {
      throw new EngineError('device-lost', `The GPU device was lost (${this.host.deviceLost}). Reload the model to continue; your conversation is kept.`);
    }
    if (!this.loaded || !this.decode) throw new EngineError('not-loaded', 'No model is loaded yet. Load a model first.');
    return { loaded: this.loaded, decode: this.decode };
  }

  /** The ids `generate` feeds for this prompt text, BOS included. */
  async tokenize(text: string): Promise<number[]> {
    return this.ready().loaded.encode(text);
  }

  async countTokens(text: string): Promise<number> {
    return this.ready().loaded.encode(text).length;
  }

  shareStopFlag(buffer: SharedArrayBuffer): void {
    this.stopFlag = new StopFlag(buffer);
  }

  /** `stopId`: this generation's number on the page's stop flag (see stop-flag.ts). */
  async generate(request: GenerateRequest, onToken: (e: TokenEvent) => void, stopId = 0): Promise<GenerateResult> {
    const { decode } = this.ready();
    if (this.busy) throw new EngineError('busy', 'A generation is already running; stop it first.');
    this.busy = true;
    this.interrupted = false;
    const stopped = () => this.interrupted || (this.stopFlag?.stopped(stopId) ?? false);
    this.stopFlag?.progress(0);
    try {
      const progress = (e: TokenEvent) => {
        this.stopFlag?.progress(e.tokens);
        onToken(e);
      };
      return await decode.generate(request, progress, stopped);
    } catch (e) {
      decode.reset();
      throw classifyRuntimeError(e, 'generating');
    } finally {
      this.busy = false;
    }
  }

  /** Runs one forward pass of `tokens` input tokens, announced to the page's watchdog. */
  private async step<T>(tokens: number, run: () => Promise<T>, device: Device): Promise<T> {
    this.onActivity?.({ type: 'step', tokens, blocking: device === 'wasm' });
    try {
      return await run();
    } finally {
      this.onActivity?.({ type: 'step-done' });
    }
  }

  interrupt(): void {
    this.interrupted = true;
  }

  reset(): void {
    if (this.busy) throw new EngineError('busy', 'Stop the running generation before resetting the cache.');
    this.decode?.reset();
  }

  async unload(): Promise<void> {
    this.decode?.dispose();
    this.decode = null;
    this.loaded = null;
    await this.host.unload();
  }

  /**
   * How many KV tensors are held (the booth soak test's leak check) and where they live: on WebGPU one static
   * buffer per layer and K/V on the GPU for the whole context; on wasm CPU tensors. Null location without a cache.
   */
  stats(): KvStats {
    const cached = this.decode?.cachedTokens ?? 0;
    const cache = cached > 0 ? this.decode!.describe() : null;
    return { cachedTokens: cached, kvTensors: cache?.tensors ?? 0, kvLocation: cache?.location ?? null };
  }
}

/** The cache for the loaded model's graph and device: static for the builder's fused graph, growing for its older split one (wasm only). */
function createCache(loaded: LoadedModel): KvCache {
  const { manifest, session } = loaded;
  const shape = cacheShapeOf(manifest, loaded.dtype === 'q4f16' ? 'float16' : 'float32');
  if (!session.inputNames.includes(pastName(0, 'key'))) {
    throw new EngineError('unsupported-dtype', `${manifest.label} has no KV-cache inputs; re-convert it with the project's builder (npm run convert).`);
  }
  const split = session.inputNames.includes('position_ids');
  if (!loaded.gpuDevice) return split ? new GrowingCpuCache(ort, shape) : new StaticCpuCache(ort, shape);
  if (split) {
    throw new EngineError(
      'unsupported-dtype',
      `${manifest.label} was converted with the older split graph, which has no static KV cache for WebGPU; re-convert it with the project's builder (npm run convert, whose default graph is now 'fused'), or load it on the CPU (device=wasm).`,
    );
  }
  return new StaticGpuCache(ort, loaded.gpuDevice, shape);
}
