/**
 * The decode loop on a loaded model: onnxruntime-web's InferenceSession run directly (no transformers.js
 * forward), on a KV cache of its own (kv-cache.ts). Keeps the token ids the cache holds and reuses the longest
 * common prefix with the next prompt, cutting the cache back to it (a length reset, no copy); stops on the
 * model's stop ids and on request stop strings, samples with temperature/top-p from a seeded PRNG, and checks
 * `interrupted()` between steps.
 */
import type { InferenceSession } from 'onnxruntime-web';
import type { GenerateRequest, GenerateResult, StopReason, TokenEvent } from './types';
import { PREFILL_CHUNK_TOKENS, type ModelManifest } from '../models/manifest';
import { checkContext, cutAtStop, generationTimings, tokenEvent } from './generation';
import type { KvCache } from './kv-cache';
import { reusablePrefix } from './kv-reuse';
import { sampleToken } from './sampling';
import { mulberry32 } from '../util/random';

/** The generation defaults, defined once (sampling-defaults.ts). */
export { SAMPLING_DEFAULTS as DEFAULTS } from './sampling-defaults';
import { SAMPLING_DEFAULTS as DEFAULTS } from './sampling-defaults';

export interface DecodeModel {
  session: InferenceSession;
  manifest: ModelManifest;
  /** Prompt text to ids, BOS included (prompt-tokens.ts). */
  encode(text: string): number[];
  decode(ids: number[]): string;
}

export class DecodeSession {
  private cachedIds: number[] = [];

  constructor(
    private readonly model: DecodeModel,
    private readonly cache: KvCache,
    /** Wraps each forward pass (the worker announces it to the page's watchdog). */
    private readonly step: <T>(tokens: number, run: () => Promise<T>) => Promise<T> = (_, run) => run(),
  ) {}

  get cachedTokens(): number {
    return this.cachedIds.length;
  }

  describe() {
    return this.cache.describe();
  }

  /** Runs `ids` on top of the cache; returns the last position's logits. */
  async forward(ids: number[]): Promise<Float32Array> {
    const logits = await this.step(ids.length, () => this.cache.forward(this.model.session, ids));
    this.cachedIds.push(...ids);
    return logits;
  }

  reset(): void {
    this.cache.truncate(0);
    this.cachedIds = [];
  }

  dispose(): void {
    this.cache.dispose();
    this.cachedIds = [];
  }

  async generate(request: GenerateRequest, onToken: (e: TokenEvent) => void, interrupted: () => boolean): Promise<GenerateResult> {
    const { manifest } = this.model;
    const started = performance.now();
    const maxNewTokens = request.maxNewTokens ?? DEFAULTS.maxNewTokens;
    const promptIds = this.model.encode(request.prompt);
    checkContext(promptIds.length, maxNewTokens, manifest.contextLength);
    const reused = reusablePrefix(this.cachedIds, promptIds);
    this.cache.truncate(reused);
    this.cachedIds.length = reused;

    let logits: Float32Array | null = null;
    for (let at = reused; at < promptIds.length && !interrupted(); at += PREFILL_CHUNK_TOKENS) {
      logits = await this.forward(promptIds.slice(at, at + PREFILL_CHUNK_TOKENS));
    }
    const prefillMs = performance.now() - started;

    const stops = request.stop ?? [];
    const stopIds = new Set(manifest.stopTokenIds);
    const random = mulberry32(request.seed ?? Date.now());
    const sampling = { temperature: request.temperature ?? DEFAULTS.temperature, topP: request.topP ?? DEFAULTS.topP };
    const generated: number[] = [];
    let text = '';
    let ttftMs = 0;
    let decodeStart = 0;
    let stopReason: StopReason = 'max-tokens';
    while (logits) {
      if (interrupted()) {
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
      text = this.model.decode(generated);
      const cut = cutAtStop(text, stops);
      if (cut !== null) {
        text = cut;
        stopReason = 'stop-string';
        break;
      }
      onToken(tokenEvent(text, stops, generated.length, (performance.now() - decodeStart) / 1000));
      if (generated.length >= maxNewTokens) break;
      logits = await this.forward([next]);
    }
    const decodeSeconds = decodeStart ? (performance.now() - decodeStart) / 1000 : 0;
    return {
      text,
      tokens: generated.length,
      stopReason,
      timings: generationTimings({ promptTokens: promptIds.length, reusedTokens: reused, prefillMs, ttftMs }, generated.length, decodeSeconds),
    };
  }
}
