/**
 * The project's converted ONNX model as an `Engine` in Node: transformers.js on onnxruntime-node (CPU), from a
 * local model folder (`public/models/<id>` after `npm run fixtures` or `npm run convert`). Used by `npm run eval
 * --engine local` and by the test servers that speak TGI and OpenAI protocols. The same prompt encoding
 * (prompt-tokens.ts), sampling, stop ids and stop strings as the browser engine; a prompt that extends the
 * previous prompt reuses the KV cache of its prefill, any other is prefilled afresh (no crop on onnxruntime-node).
 */
import { AutoModelForCausalLM, AutoTokenizer, env, Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Engine, GenerateRequest, GenerateResult, LoadReport, ModelDtype, StopReason, TokenEvent } from '../../src/lib/engine/types';
import { EngineError } from '../../src/lib/engine/errors';
import { promptEncoder, type PromptEncoder } from '../../src/lib/engine/prompt-tokens';
import { reusablePrefix } from '../../src/lib/engine/kv-reuse';
import { sampleToken } from '../../src/lib/engine/sampling';
import { checkContext, cutAtStop, generationTimings, tokenEvent } from '../../src/lib/engine/generation';
import { SAMPLING_DEFAULTS } from '../../src/lib/engine/sampling-defaults';
import { mulberry32 } from '../../src/lib/util/random';
import type { ModelManifest } from '../../src/lib/models/manifest';

export class NodeEngine implements Engine {
  private model: PreTrainedModel | null = null;
  private tokenizer: PreTrainedTokenizer | null = null;
  private encode: PromptEncoder | null = null;
  private manifest: ModelManifest | null = null;
  private cache: Record<string, Tensor> | null = null;
  private cachedIds: number[] = [];
  private promptCache: { ids: number[]; cache: Record<string, Tensor> } | null = null;
  private interrupted = false;
  private busy: Promise<unknown> = Promise.resolve();
  private keepLogitsInput = false;

  /** `modelDir`: a converted model folder (holds manifest.json, tokenizer.json, onnx/). */
  constructor(
    private readonly modelDir: string,
    private readonly dtype: ModelDtype = 'q4',
  ) {}

  async load(): Promise<LoadReport> {
    const started = performance.now();
    const dir = resolve(this.modelDir);
    this.manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ModelManifest;
    if (!this.manifest.dtypes[this.dtype]) throw new EngineError('not-loaded', `${dir} has no ${this.dtype} build (it has ${Object.keys(this.manifest.dtypes).join(', ')})`);
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = dirname(dir) + '/';
    this.tokenizer = await AutoTokenizer.from_pretrained(basename(dir));
    this.encode = promptEncoder(this.tokenizer);
    this.model = await AutoModelForCausalLM.from_pretrained(basename(dir), { dtype: this.dtype, device: 'cpu' });
    const session = (this.model as unknown as { sessions: Record<string, { inputNames: string[] }> }).sessions.model;
    this.keepLogitsInput = session?.inputNames.includes('num_logits_to_keep') ?? false;
    return {
      modelId: this.manifest.id,
      device: 'wasm',
      dtype: this.dtype,
      adapter: { available: false, shaderF16: false },
      reasons: ['onnxruntime-node on the CPU'],
      loadMs: performance.now() - started,
      contextLength: this.manifest.contextLength,
    };
  }

  get modelId(): string {
    return this.manifest?.id ?? basename(this.modelDir);
  }

  get contextLength(): number {
    return this.ready().manifest.contextLength;
  }

  private ready() {
    if (!this.model || !this.tokenizer || !this.encode || !this.manifest) throw new EngineError('not-loaded', 'No model is loaded yet. Load a model first.');
    return { model: this.model, tokenizer: this.tokenizer, encode: this.encode, manifest: this.manifest };
  }

  async countTokens(text: string): Promise<number> {
    return this.ready().encode(text).length;
  }

  async tokenize(text: string): Promise<number[]> {
    return this.ready().encode(text);
  }

  /** Generations run one at a time (callers from several connections queue). */
  generate(request: GenerateRequest, onToken?: (e: TokenEvent) => void): Promise<GenerateResult> {
    const run = this.busy.then(() => this.run(request, onToken));
    this.busy = run.catch(() => undefined);
    return run;
  }

  private async run(request: GenerateRequest, onToken?: (e: TokenEvent) => void): Promise<GenerateResult> {
    const { tokenizer, encode, manifest } = this.ready();
    this.interrupted = false;
    const started = performance.now();
    const maxNewTokens = request.maxNewTokens ?? SAMPLING_DEFAULTS.maxNewTokens;
    const promptIds = encode(request.prompt);
    checkContext(promptIds.length, maxNewTokens, manifest.contextLength);
    // The cache as it stood after the last prompt's prefill is reused when this prompt extends that prompt (the
    // context budget keeps each prompt a prefix of the next); the last id is always fed again for its logits.
    const last = this.promptCache;
    let reused = last ? reusablePrefix(last.ids, promptIds) : 0;
    if (last && reused === last.ids.length && reused < promptIds.length) {
      this.cache = last.cache;
      this.cachedIds = [...last.ids];
    } else {
      this.drop();
      reused = 0;
    }
    let logits = await this.forward(promptIds.slice(reused));
    this.promptCache = { ids: [...this.cachedIds], cache: this.cache! };
    const prefillMs = performance.now() - started;
    const random = mulberry32(request.seed ?? Date.now());
    const sampling = { temperature: request.temperature ?? SAMPLING_DEFAULTS.temperature, topP: request.topP ?? SAMPLING_DEFAULTS.topP };
    const stops = request.stop ?? [];
    const stopIds = new Set(manifest.stopTokenIds);
    const generated: number[] = [];
    let text = '';
    let ttftMs = 0;
    let stopReason: StopReason = 'max-tokens';
    for (;;) {
      if (this.interrupted) {
        stopReason = 'interrupted';
        break;
      }
      const next = sampleToken(logits, sampling, random);
      if (generated.length === 0) ttftMs = performance.now() - started;
      if (stopIds.has(next)) {
        stopReason = 'eos';
        break;
      }
      generated.push(next);
      text = tokenizer.decode(generated, { skip_special_tokens: true });
      const cut = cutAtStop(text, stops);
      if (cut !== null) {
        text = cut;
        stopReason = 'stop-string';
        break;
      }
      onToken?.(tokenEvent(text, stops, generated.length, (performance.now() - started - ttftMs) / 1000));
      if (generated.length >= maxNewTokens) break;
      logits = await this.forward([next]);
      // Let an interrupt (or another connection's request) in between steps.
      await new Promise((r) => setImmediate(r));
    }
    const decodeSeconds = (performance.now() - started - ttftMs) / 1000;
    return {
      text,
      tokens: generated.length,
      stopReason,
      timings: generationTimings({ promptTokens: promptIds.length, reusedTokens: reused, prefillMs, ttftMs }, generated.length, decodeSeconds),
    };
  }

  private async forward(ids: number[]): Promise<Float32Array> {
    const { model } = this.ready();
    const total = this.cachedIds.length + ids.length;
    const inputs: Record<string, unknown> = {
      input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      attention_mask: new Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
    };
    if (this.cache) inputs.past_key_values = this.cache;
    if (this.keepLogitsInput) inputs.num_logits_to_keep = new Tensor('int64', BigInt64Array.of(1n), []);
    const out = (await model.forward(inputs)) as Record<string, Tensor>;
    const next: Record<string, Tensor> = {};
    for (const name of Object.keys(out)) if (name.startsWith('present')) next[name.replace('present', 'past_key_values')] = out[name];
    this.cache = next;
    this.cachedIds.push(...ids);
    const [, rows, vocab] = out.logits.dims;
    return (out.logits.data as Float32Array).slice((rows - 1) * vocab, rows * vocab);
  }

  private drop(): void {
    this.cache = null;
    this.cachedIds = [];
  }

  async reset(): Promise<void> {
    this.drop();
    this.promptCache = null;
  }

  async interrupt(): Promise<void> {
    this.interrupted = true;
  }

  async unload(): Promise<void> {
    await this.reset();
    await this.model?.dispose();
    this.model = null;
  }
}
