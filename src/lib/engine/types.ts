/**
 * The seam between the UI / agent loop and whatever runs the model. The local implementation
 * lives in a Web Worker (transformers.js on onnxruntime-web); a remote OpenAI-compatible engine
 * can implement the same interface without touching the UI or the loop.
 */
import type { ModelDtype } from '../models/manifest';

export type { ModelDtype };
export type Device = 'webgpu' | 'wasm';

export interface LoadOptions {
  /** Directory name under the model origin, e.g. `tiny-random-agent-flan`; holds `manifest.json`. */
  modelId: string;
  /** Absolute base URL that holds `<modelId>/...` (the configured model origin). */
  modelBaseUrl: string;
  device?: Device;
  dtype?: ModelDtype;
}

export interface LoadProgress {
  file: string;
  loaded: number;
  total: number;
  /** Sum over all files of the chosen dtype. */
  totalLoaded: number;
  totalBytes: number;
  phase: 'download' | 'compile' | 'warmup' | 'ready';
  /** Download speed over the last seconds, bytes/s, and estimated seconds left (download phase). */
  bytesPerSecond?: number;
  secondsLeft?: number;
}

export interface AdapterReport {
  available: boolean;
  vendor?: string;
  architecture?: string;
  description?: string;
  /** The browser's isFallbackAdapter (a software adapter), where it tells. */
  fallback?: boolean;
  shaderF16: boolean;
  maxBufferSize?: number;
  maxStorageBufferBindingSize?: number;
}

export interface LoadReport {
  modelId: string;
  device: Device;
  dtype: ModelDtype;
  adapter: AdapterReport;
  /** Human-readable reasons for the choices above, e.g. "no shader-f16: q4 with f32 activations". */
  reasons: string[];
  loadMs: number;
  contextLength: number;
}

export interface GenerateRequest {
  /**
   * The full prompt, as plain text without BOS: the engine adds BOS and encodes every character of the text as text.
   * `<s>`, `</s>` or `<unk>` inside it (tool output, the user's message) must reach the model as the ordinary pieces
   * sentencepiece gives them, never as special ids (the local engine: `prompt-tokens.ts`; a remote engine must keep
   * its server from parsing special tokens in the text).
   */
  prompt: string;
  maxNewTokens?: number;
  /** 0 means greedy. */
  temperature?: number;
  topP?: number;
  /** Stop strings in addition to the model's stop token ids. */
  stop?: string[];
  seed?: number;
}

export type StopReason = 'eos' | 'stop-string' | 'max-tokens' | 'interrupted';

export interface GenerateTimings {
  promptTokens: number;
  /** Prompt tokens served from the KV cache instead of being prefilled again. */
  reusedTokens: number;
  prefillMs: number;
  /** Time from the call to the first generated token. */
  ttftMs: number;
  decodeTokensPerSecond: number;
}

export interface GenerateResult {
  text: string;
  tokens: number;
  stopReason: StopReason;
  timings: GenerateTimings;
}

export interface TokenEvent {
  /** Text decoded so far for this generation (whole, not a delta: safe across multi-byte characters). */
  text: string;
  tokens: number;
  tokensPerSecond: number;
}

export interface Engine {
  load(options: LoadOptions, onProgress?: (p: LoadProgress) => void): Promise<LoadReport>;
  generate(request: GenerateRequest, onToken?: (e: TokenEvent) => void): Promise<GenerateResult>;
  /** Ends a running generation within one decode step; the engine stays usable. */
  interrupt(): Promise<void>;
  /** Drops the KV cache. */
  reset(): Promise<void>;
  /** Number of tokens the prompt text encodes to, BOS included: the count of the ids `generate` feeds for it. */
  countTokens(text: string): Promise<number>;
  unload(): Promise<void>;
}

/** The worker's KV cache, for tests: tensors held, the tokens they cover, and where they live. */
export interface KvStats {
  cachedTokens: number;
  kvTensors: number;
  /** 'gpu-buffer', 'cpu', 'mixed', or null when no cache is held. */
  kvLocation: string | null;
}
