/**
 * Loads a model inside the worker: the runtime choice (device, dtype), the verified files in storage, the GPU
 * device (our own without subgroups where onnxruntime-web's attention needs it, see webgpu-device.ts), the
 * tokenizer, and the onnxruntime-web InferenceSession, created through transformers.js (loaded lazily) so that
 * its file loading, external-data chunks and custom cache stay the loading path. Watches the GPU device for loss.
 */
import type { PreTrainedModel } from '@huggingface/transformers';
import type { InferenceSession } from 'onnxruntime-web';
import type { AdapterReport, Device, LoadOptions, LoadProgress, ModelDtype } from './types';
import type { ModelManifest } from '../models/manifest';
import type { StoredModelSummary } from '../models/storage';
import { EngineError, classifyRuntimeError } from './errors';
import { chooseRuntime } from './runtime-choice';
import { probeAdapter } from './webgpu-adapter';
import { needsSubgrouplessDevice, requestSubgrouplessDevice } from './webgpu-device';
import { promptEncoder, type PromptEncoder } from './prompt-tokens';
import { deleteStoredModelFiles, downloadModelFiles, fetchManifest, prepareModelFiles, storedModels } from './model-files';

type Transformers = typeof import('@huggingface/transformers');

export interface LoadedModel {
  manifest: ModelManifest;
  device: Device;
  dtype: ModelDtype;
  adapter: AdapterReport;
  session: InferenceSession;
  /** The device onnxruntime-web runs on (WebGPU only). */
  gpuDevice: GPUDevice | null;
  encode: PromptEncoder;
  decode(ids: number[]): string;
}

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

export class ModelHost {
  private model: PreTrainedModel | null = null;
  /** Our own GPU device, when the adapter needs one without subgroups (see webgpu-device.ts); else onnxruntime-web's. */
  private ownDevice: GPUDevice | null = null;
  /** Counts loads, so a device released by an earlier model's unload is not taken for a loss of the current one. */
  private generation = 0;
  /** Set when the loaded model's GPU device is lost. */
  deviceLost: string | null = null;
  /** Told at once when the device of the loaded model is lost, so an idle page need not wait for its next call. */
  onDeviceLost: ((message: string) => void) | null = null;

  constructor(private readonly runtimeUrls: { wasm: string; mjs: string }) {}

  async load(options: LoadOptions, onProgress: (p: LoadProgress) => void): Promise<{ loaded: LoadedModel; reasons: string[] }> {
    await this.unload();
    const generation = this.generation;
    this.deviceLost = null;
    const adapter = await probeAdapter();
    const manifest = await fetchManifest(options.modelBaseUrl, options.modelId);
    const choice = chooseRuntime(adapter, manifest, { device: options.device, dtype: options.dtype });
    const t = await loadTransformers(this.runtimeUrls);
    await prepareModelFiles(t, { baseUrl: options.modelBaseUrl, manifest, dtype: choice.dtype, onProgress });

    const totalBytes = manifest.dtypes[choice.dtype]!.bytes;
    onProgress({ file: '', loaded: 0, total: 0, totalLoaded: totalBytes, totalBytes, phase: 'compile' });
    const reasons = [...choice.reasons];
    let tokenizer;
    try {
      let session_options: InferenceSession.SessionOptions | undefined;
      if (choice.device === 'webgpu') {
        const gpuAdapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
        if (gpuAdapter && needsSubgrouplessDevice(gpuAdapter)) {
          this.ownDevice = await requestSubgrouplessDevice(gpuAdapter);
          session_options = { executionProviders: [{ name: 'webgpu', device: this.ownDevice } as InferenceSession.ExecutionProviderConfig] };
          reasons.push(
            `subgroups of ${gpuAdapter.info.subgroupMinSize} lanes: GPU device without subgroups (onnxruntime-web's attention for 32+ new tokens is wrong below 8 lanes)`,
          );
        }
      }
      tokenizer = await t.AutoTokenizer.from_pretrained(options.modelId);
      this.model = await t.AutoModelForCausalLM.from_pretrained(options.modelId, {
        device: choice.device,
        dtype: choice.dtype,
        ...(session_options ? { session_options } : {}),
      });
    } catch (e) {
      throw classifyRuntimeError(e, `loading ${manifest.label} (${choice.dtype} on ${choice.device})`);
    }
    const session = (this.model as unknown as { sessions: Record<string, InferenceSession> }).sessions.model;
    let gpuDevice: GPUDevice | null = null;
    if (choice.device === 'webgpu') {
      gpuDevice = this.ownDevice ?? (await (t.env.backends.onnx as { webgpu?: { device?: GPUDevice | Promise<GPUDevice> } }).webgpu?.device) ?? null;
      if (!gpuDevice) throw new EngineError('runtime', 'onnxruntime-web did not expose its WebGPU device; reload the page and try again.');
      this.watchDevice(gpuDevice, generation);
    }
    const encode = promptEncoder(tokenizer);
    return {
      loaded: {
        manifest,
        device: choice.device,
        dtype: choice.dtype,
        adapter,
        session,
        gpuDevice,
        encode,
        decode: (ids) => tokenizer.decode(ids, { skip_special_tokens: true }),
      },
      reasons,
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
    return deleteStoredModelFiles(id);
  }

  private watchDevice(device: GPUDevice, generation: number): void {
    device.lost.then((info) => {
      if (generation !== this.generation) return;
      this.deviceLost = info.message || info.reason || 'unknown reason';
      this.onDeviceLost?.(this.deviceLost);
    });
  }

  async unload(): Promise<void> {
    // Releasing the model may destroy its GPU device: that is not a loss to report.
    this.generation++;
    await this.model?.dispose();
    this.model = null;
    this.ownDevice?.destroy();
    this.ownDevice = null;
  }
}
