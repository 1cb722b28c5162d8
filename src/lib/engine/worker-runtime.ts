/**
 * The model runtime inside the worker: transformers.js (loaded lazily) on onnxruntime-web.
 * It runs its own decode loop over `model.forward` rather than `generate()` so that it controls the KV
 * cache (reuse only when the new prompt's ids extend the cached ids), stop ids and strings, sampling,
 * interruption between steps, and timings.
 */
import type { PreTrainedModel, PreTrainedTokenizer, Tensor } from '@huggingface/transformers';
import type {
  AdapterReport,
  Device,
  ModelDtype,
  GenerateRequest,
  GenerateResult,
  KvStats,
  LoadOptions,
  LoadProgress,
  LoadReport,
  StopReason,
  TokenEvent,
} from './types';
import { PREFILL_CHUNK_TOKENS, type ModelManifest } from '../models/manifest';
import { EngineError, classifyRuntimeError } from './errors';
import { chooseRuntime } from './runtime-choice';
import { probeAdapter } from './webgpu-adapter';
import { needsSubgrouplessDevice, requestSubgrouplessDevice } from './webgpu-device';
import { sampleToken } from './sampling';
import { warmupPasses } from './warmup';
import { mulberry32 } from '../util/random';
import { findStop, visibleLength } from './stop-strings';
import { reusablePrefix } from './kv-reuse';
import { promptEncoder, type PromptEncoder } from './prompt-tokens';
import { CROP_KEEP_INPUT, cropModel, croppedName } from './kv-crop';
import { deleteStoredModelFiles, downloadModelFiles, fetchManifest, prepareModelFiles, storedModels } from './model-files';
import type { StoredModelSummary } from '../models/storage';
import type { WorkerActivity } from './watchdog';
import { StopFlag } from './stop-flag';
import { SAMPLING_DEFAULTS } from './sampling-defaults';

type Transformers = typeof import('@huggingface/transformers');
type KvCache = Record<string, Tensor>;

/** Llama-2's `<s>`; every model this builder makes uses it. */
const BOS_TOKEN_ID = 1;


let transformersModule: Promise<Transformers> | null = null;
function loadTransformers(runtimeUrls: { wasm: string; mjs: string }): Promise<Transformers> {
  transformersModule ??= import('@huggingface/transformers').then((t) => {
    // Serve onnxruntime's wasm from our own origin: transformers.js would otherwise point at a CDN.
    const onnx = t.env.backends.onnx as { wasm?: { wasmPaths?: unknown } };
    if (onnx.wasm) onnx.wasm.wasmPaths = { ...runtimeUrls };
    // Otherwise transformers.js re-imports onnxruntime's .mjs from a blob: URL, which the CSP's script-src
    // forbids, and keeps a second copy of the 27 MB wasm in Cache Storage (the service worker precaches it).
    t.env.useWasmCache = false;
    t.env.allowLocalModels = false;
    t.env.allowRemoteModels = true;
    return t;
  });
  return transformersModule;
}

export class WorkerRuntime {
  private tokenizer: PreTrainedTokenizer | null = null;
  /** Prompt text to ids: no special-token matching inside the text (see prompt-tokens.ts). */
  private encodePrompt: PromptEncoder | null = null;
  private model: PreTrainedModel | null = null;
  private manifest: ModelManifest | null = null;
  private t: Transformers | null = null;
  private cache: KvCache | null = null;
  private cachedIds: number[] = [];
  private keepLogitsInput = false;
  private crop: { names: string[]; session: import('onnxruntime-web').InferenceSession } | null = null;
  private interrupted = false;
  /**
   * The page's stop flag (stop-flag.ts): shared memory, so a stop reaches the decode loop even while wasm
   * forward passes keep this worker's event loop (and so a Comlink `interrupt()`) from running.
   */
  private stopFlag: StopFlag | null = null;
  private busy = false;
  private deviceLost: string | null = null;
  /** Our own GPU device, when the adapter needs one without subgroups (see webgpu-device.ts); else onnxruntime-web's. */
  private ownDevice: GPUDevice | null = null;
  /** Counts loads, so a device released by an earlier model's unload is not taken for a loss of the current one. */
  private generation = 0;
  /** Told at once when the device of the loaded model is lost, so an idle page need not wait for its next call. */
  onDeviceLost: ((message: string) => void) | null = null;
  /** Told when a forward pass starts and ends: the page's watchdog sizes its patience by it (see watchdog.ts). */
  onActivity: ((activity: WorkerActivity) => void) | null = null;
  /** Where the loaded model runs: on wasm a forward pass blocks this worker's event loop. */
  private device: Device = 'wasm';

  constructor(private readonly runtimeUrls: { wasm: string; mjs: string }) {}

  async adapter(): Promise<AdapterReport> {
    return probeAdapter();
  }

  async load(options: LoadOptions, onProgress: (p: LoadProgress) => void): Promise<LoadReport> {
    if (this.busy) throw new EngineError('busy', 'The model is busy; stop the running generation first.');
    const started = performance.now();
    await this.unload();
    const generation = this.generation;
    this.deviceLost = null;
    const adapter = await probeAdapter();
    const manifest = await fetchManifest(options.modelBaseUrl, options.modelId);
    const choice = chooseRuntime(adapter, manifest, { device: options.device, dtype: options.dtype });
    const t = await loadTransformers(this.runtimeUrls);
    await prepareModelFiles(t, { baseUrl: options.modelBaseUrl, manifest, dtype: choice.dtype, onProgress });

    const totalBytes = manifest.dtypes[choice.dtype]!.bytes;
    const phase = (p: LoadProgress['phase']) =>
      onProgress({ file: '', loaded: 0, total: 0, totalLoaded: totalBytes, totalBytes, phase: p });
    phase('compile');
    const reasons = [...choice.reasons];
    try {
      let session_options: import('onnxruntime-web').InferenceSession.SessionOptions | undefined;
      if (choice.device === 'webgpu') {
        const gpuAdapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
        if (gpuAdapter && needsSubgrouplessDevice(gpuAdapter)) {
          this.ownDevice = await requestSubgrouplessDevice(gpuAdapter);
          session_options = { executionProviders: [{ name: 'webgpu', device: this.ownDevice }] };
          reasons.push(
            `subgroups of ${gpuAdapter.info.subgroupMinSize} lanes: GPU device without subgroups (onnxruntime-web's attention for 32+ new tokens is wrong below 8 lanes)`,
          );
        }
      }
      this.tokenizer = await t.AutoTokenizer.from_pretrained(options.modelId);
      this.encodePrompt = promptEncoder(this.tokenizer);
      this.model = await t.AutoModelForCausalLM.from_pretrained(options.modelId, {
        device: choice.device,
        dtype: choice.dtype,
        ...(session_options ? { session_options } : {}),
      });
    } catch (e) {
      throw classifyRuntimeError(e, `loading ${manifest.label} (${choice.dtype} on ${choice.device})`);
    }
    this.t = t;
    this.manifest = manifest;
    const session = (this.model as unknown as { sessions: Record<string, { inputNames: string[] }> }).sessions.model;
    this.keepLogitsInput = session?.inputNames.includes('num_logits_to_keep') ?? false;
    this.device = choice.device;
    if (choice.device === 'webgpu') await this.watchDevice(t, generation);

    // Forward passes that meet every GPU program variant a turn can, so none compiles during one (warmup.ts).
    phase('warmup');
    for (const tokens of warmupPasses(choice.device, adapter)) await this.forward(new Array<number>(tokens).fill(BOS_TOKEN_ID));
    this.dropCache();
    phase('ready');
    return {
      modelId: manifest.id,
      device: choice.device,
      dtype: choice.dtype,
      adapter,
      reasons,
      loadMs: performance.now() - started,
      contextLength: manifest.contextLength,
    };
  }

  /**
   * Only the download step of `load`: the same runtime choice (a model this device can't run is refused
   * before any byte is fetched), then the files into verified storage. The loaded model, if any, stays.
   */
  async download(options: LoadOptions, onProgress: (p: LoadProgress) => void): Promise<{ device: Device; dtype: ModelDtype; reasons: string[] }> {
    const manifest = await fetchManifest(options.modelBaseUrl, options.modelId);
    const choice = chooseRuntime(await probeAdapter(), manifest, { device: options.device, dtype: options.dtype });
    await downloadModelFiles({ baseUrl: options.modelBaseUrl, manifest, dtype: choice.dtype, onProgress });
    return choice;
  }

  storedModels(): Promise<StoredModelSummary[]> {
    return storedModels();
  }

  deleteStoredModel(id: string): Promise<number> {
    if (this.busy) throw new EngineError('busy', 'Stop the running generation before deleting a model.');
    return deleteStoredModelFiles(id);
  }

  private async watchDevice(t: Transformers, generation: number): Promise<void> {
    const webgpu = (t.env.backends.onnx as { webgpu?: { device?: GPUDevice | Promise<GPUDevice> } }).webgpu;
    try {
      const device = this.ownDevice ?? (await webgpu?.device);
      device?.lost.then((info) => {
        if (generation !== this.generation) return;
        this.deviceLost = info.message || info.reason || 'unknown reason';
        this.onDeviceLost?.(this.deviceLost);
      });
    } catch {
      // Older runtimes don't expose the device; a loss then surfaces as a run error.
    }
  }

  private ready(): { tokenizer: PreTrainedTokenizer; encodePrompt: PromptEncoder; model: PreTrainedModel; manifest: ModelManifest; t: Transformers } {
    if (this.deviceLost) {
      throw new EngineError('device-lost', `The GPU device was lost (${this.deviceLost}). Reload the model to continue; your conversation is kept.`);
    }
    if (!this.tokenizer || !this.encodePrompt || !this.model || !this.manifest || !this.t) {
      throw new EngineError('not-loaded', 'No model is loaded yet. Load a model first.');
    }
    return { tokenizer: this.tokenizer, encodePrompt: this.encodePrompt, model: this.model, manifest: this.manifest, t: this.t };
  }

  /** The ids `generate` feeds for this prompt text, BOS included. */
  async tokenize(text: string): Promise<number[]> {
    return this.ready().encodePrompt(text);
  }

  async countTokens(text: string): Promise<number> {
    return this.ready().encodePrompt(text).length;
  }

  shareStopFlag(buffer: SharedArrayBuffer): void {
    this.stopFlag = new StopFlag(buffer);
  }

  /** `stopId`: this generation's number on the page's stop flag (see stop-flag.ts). */
  async generate(request: GenerateRequest, onToken: (e: TokenEvent) => void, stopId = 0): Promise<GenerateResult> {
    const { tokenizer, encodePrompt, manifest } = this.ready();
    if (this.busy) throw new EngineError('busy', 'A generation is already running; stop it first.');
    this.busy = true;
    this.interrupted = false;
    const stopped = () => this.interrupted || (this.stopFlag?.stopped(stopId) ?? false);
    this.stopFlag?.progress(0);
    try {
      return await this.run(request, tokenizer, encodePrompt, manifest, onToken, stopped);
    } catch (e) {
      this.dropCache();
      throw classifyRuntimeError(e, 'generating');
    } finally {
      this.busy = false;
    }
  }

  private async run(
    request: GenerateRequest,
    tokenizer: PreTrainedTokenizer,
    encodePrompt: PromptEncoder,
    manifest: ModelManifest,
    onToken: (e: TokenEvent) => void,
    stopped: () => boolean,
  ): Promise<GenerateResult> {
    const started = performance.now();
    const maxNewTokens = request.maxNewTokens ?? SAMPLING_DEFAULTS.maxNewTokens;
    const promptIds = encodePrompt(request.prompt);
    if (promptIds.length + maxNewTokens > manifest.contextLength) {
      throw new EngineError(
        'context-overflow',
        `The prompt has ${promptIds.length} tokens and up to ${maxNewTokens} new tokens were asked for: ${promptIds.length + maxNewTokens} > the model's context of ${manifest.contextLength}. Shorten the conversation or ask for fewer new tokens.`,
        { promptTokens: promptIds.length, maxNewTokens, contextLength: manifest.contextLength },
      );
    }
    const reused = reusablePrefix(this.cachedIds, promptIds);
    if (reused === 0) this.dropCache();
    else if (reused < this.cachedIds.length) await this.cropCache(reused);

    let logits: Float32Array | null = null;
    for (let at = reused; at < promptIds.length && !stopped(); at += PREFILL_CHUNK_TOKENS) {
      logits = await this.forward(promptIds.slice(at, at + PREFILL_CHUNK_TOKENS));
    }
    const prefillMs = performance.now() - started;

    const stops = request.stop ?? [];
    const stopIds = new Set(manifest.stopTokenIds);
    const random = mulberry32(request.seed ?? Date.now());
    const sampling = { temperature: request.temperature ?? SAMPLING_DEFAULTS.temperature, topP: request.topP ?? SAMPLING_DEFAULTS.topP };
    const generated: number[] = [];
    let text = '';
    let ttftMs = 0;
    let decodeStart = 0;
    let stopReason: StopReason = stopped() ? 'interrupted' : 'max-tokens';
    while (logits) {
      if (stopped()) {
        stopReason = 'interrupted';
        break;
      }
      const next = sampleToken(logits, sampling, random);
      if (generated.length === 0) {
        ttftMs = performance.now() - started;
        decodeStart = performance.now();
      }
      if (stopIds.has(next)) {
        stopReason = 'eos';
        break;
      }
      generated.push(next);
      this.stopFlag?.progress(generated.length);
      text = tokenizer.decode(generated, { skip_special_tokens: true });
      const cut = findStop(text, stops);
      if (cut >= 0) {
        text = text.slice(0, cut);
        stopReason = 'stop-string';
        break;
      }
      const elapsed = (performance.now() - decodeStart) / 1000;
      onToken({
        text: text.slice(0, visibleLength(text, stops)),
        tokens: generated.length,
        tokensPerSecond: elapsed > 0 ? (generated.length - 1) / elapsed : 0,
      });
      if (generated.length >= maxNewTokens) break;
      logits = await this.forward([next]);
    }
    const decodeSeconds = decodeStart ? (performance.now() - decodeStart) / 1000 : 0;
    return {
      text,
      tokens: generated.length,
      stopReason,
      timings: {
        promptTokens: promptIds.length,
        reusedTokens: reused,
        prefillMs,
        ttftMs,
        decodeTokensPerSecond: decodeSeconds > 0 && generated.length > 1 ? (generated.length - 1) / decodeSeconds : 0,
      },
    };
  }

  /** Runs `ids` through the model on top of the cache; returns the last position's logits. */
  private async forward(ids: number[]): Promise<Float32Array> {
    const { model, t } = this.ready();
    const past = this.cachedIds.length;
    const total = past + ids.length;
    const inputs: Record<string, unknown> = {
      input_ids: new t.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      attention_mask: new t.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
    };
    if (this.cache) inputs.past_key_values = this.cache;
    if (this.keepLogitsInput) inputs.num_logits_to_keep = new t.Tensor('int64', BigInt64Array.of(1n), []);
    const out = await this.step(ids.length, async () => (await model.forward(inputs)) as Record<string, Tensor>);
    const next: KvCache = {};
    for (const name of Object.keys(out)) {
      if (name.startsWith('present')) next[name.replace('present', 'past_key_values')] = out[name];
    }
    this.disposeCache(next);
    this.cache = next;
    this.cachedIds.push(...ids);
    const logits = out.logits;
    if (logits.type !== 'float32') {
      throw new EngineError('unsupported-dtype', `The model returns ${logits.type} logits; this engine expects float32 (re-convert the model with the project's builder).`);
    }
    const [, rows, vocab] = logits.dims;
    return (logits.data as Float32Array).slice((rows - 1) * vocab, rows * vocab);
  }

  /** Runs one forward pass (or crop) of `tokens` input tokens, announced to the page's watchdog. */
  private async step<T>(tokens: number, run: () => Promise<T>): Promise<T> {
    this.onActivity?.({ type: 'step', tokens, blocking: this.device === 'wasm' });
    try {
      return await run();
    } finally {
      this.onActivity?.({ type: 'step-done' });
    }
  }

  /** Cuts the cache back to its first `keep` positions, on the model's own device. */
  private async cropCache(keep: number): Promise<void> {
    const { t } = this.ready();
    const cache = this.cache!;
    const names = Object.keys(cache).sort();
    const ort = await import('onnxruntime-web/webgpu');
    if (!this.crop || this.crop.names.join() !== names.join()) {
      const elementType = cache[names[0]].type === 'float16' ? 'float16' : 'float32';
      const gpu = cache[names[0]].location === 'gpu-buffer';
      this.crop = {
        names,
        session: await ort.InferenceSession.create(cropModel(names, elementType), {
          executionProviders: [gpu ? (this.ownDevice ? { name: 'webgpu', device: this.ownDevice } : 'webgpu') : 'wasm'],
          preferredOutputLocation: gpu ? 'gpu-buffer' : 'cpu',
        }),
      };
    }
    const feeds: Record<string, unknown> = { [CROP_KEEP_INPUT]: new ort.Tensor('int64', BigInt64Array.of(BigInt(keep)), [1]) };
    for (const name of names) feeds[name] = (cache[name] as unknown as { ort_tensor: unknown }).ort_tensor;
    const session = this.crop.session;
    const out = await this.step(0, () => session.run(feeds as Parameters<typeof session.run>[0]));
    const next: KvCache = {};
    for (const name of names) next[name] = new t.Tensor(out[croppedName(name)] as never);
    this.disposeCache(next);
    this.cache = next;
    this.cachedIds = this.cachedIds.slice(0, keep);
  }

  private disposeCache(keep: KvCache = {}): void {
    if (!this.cache) return;
    const kept = new Set(Object.values(keep));
    for (const tensor of Object.values(this.cache)) {
      if (!kept.has(tensor) && tensor.location === 'gpu-buffer') tensor.dispose();
    }
  }

  private dropCache(): void {
    this.disposeCache();
    this.cache = null;
    this.cachedIds = [];
  }

  interrupt(): void {
    this.interrupted = true;
  }

  reset(): void {
    if (this.busy) throw new EngineError('busy', 'Stop the running generation before resetting the cache.');
    this.dropCache();
  }

  async unload(): Promise<void> {
    // Releasing the model may destroy its GPU device: that is not a loss to report.
    this.generation++;
    this.dropCache();
    await this.crop?.session.release();
    this.crop = null;
    await this.model?.dispose();
    this.model = null;
    this.ownDevice?.destroy();
    this.ownDevice = null;
    this.tokenizer = null;
    this.encodePrompt = null;
    this.manifest = null;
  }

  /**
   * How many KV tensors are held (the booth soak test's leak check) and where they live: on WebGPU
   * transformers.js asks onnxruntime for present.* as 'gpu-buffer', so the cache never crosses to the CPU
   * between steps (the WebGPU engine test checks it); on wasm it is 'cpu'. Null without a cache.
   */
  stats(): KvStats {
    const tensors = this.cache ? Object.values(this.cache) : [];
    const locations = new Set(tensors.map((t) => t.location));
    return {
      cachedTokens: this.cachedIds.length,
      kvTensors: tensors.length,
      kvLocation: locations.size === 0 ? null : locations.size === 1 ? String([...locations][0]) : 'mixed',
    };
  }
}
