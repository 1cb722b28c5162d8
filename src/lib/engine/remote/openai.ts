/**
 * OpenAI-compatible completions, as OpenAI's API reference documents `POST /v1/completions` and `GET /v1/models`
 * and as vLLM, llama.cpp's server and others serve them: the raw prompt (so the Agent-FLAN template stays exactly
 * ours), `stop` with Agent-FLAN's end of turn, `stream: true`; the stream is server-sent events of
 * {choices: [{text, finish_reason}]} ending with `data: [DONE]`. Token counts come from vLLM's `POST /tokenize`
 * ({model, prompt} -> {count}) where the server has it, else an estimate.
 */
import { EngineError } from '../errors';
import type { GenerateRequest, StopReason } from '../types';
import { FALLBACK_CONTEXT_LENGTH, RemoteEngine, type RemoteInfo, type StreamStep } from './remote-engine';

interface ModelList {
  data?: { id: string; max_model_len?: number }[];
}

interface CompletionChunk {
  /** vLLM adds `stop_reason`: the stop string matched (or a stop token id); OpenAI says only `stop`. */
  choices?: { text?: string; finish_reason?: string | null; stop_reason?: string | number | null }[];
  error?: { message?: string } | string;
  object?: string;
  message?: string;
}

const FINISH: Record<string, StopReason> = { length: 'max-tokens', stop: 'eos' };

export class OpenAIEngine extends RemoteEngine {
  readonly kind = 'openai' as const;
  private tokenize: boolean | undefined;
  private tokens = 0;

  protected override url(path: string): string {
    // `/tokenize` sits beside `/v1` on vLLM; the API itself is under `/v1` (added unless the endpoint has it).
    const base = this.endpoint.replace(/\/v1$/, '');
    return path === '/tokenize' ? `${base}${path}` : `${base}/v1${path}`;
  }

  protected async describe(): Promise<RemoteInfo> {
    const list = await this.getJson<ModelList>('/models');
    const model = list.data?.[0];
    if (!model?.id) throw new EngineError('remote-server', `${this.url('/models')} lists no model: is this an OpenAI-compatible server with a model loaded?`);
    return { modelId: model.id, contextLength: model.max_model_len ?? FALLBACK_CONTEXT_LENGTH };
  }

  protected generation(request: GenerateRequest, stops: string[], info: RemoteInfo) {
    this.tokens = 0;
    const body: Record<string, unknown> = {
      model: info.modelId,
      prompt: request.prompt,
      max_tokens: request.maxNewTokens,
      temperature: request.temperature ?? 0,
      top_p: request.topP ?? 1,
      stop: stops,
      stream: true,
    };
    if (request.seed !== undefined) body.seed = request.seed;
    return { path: '/completions', body };
  }

  protected parseEvent(data: string): StreamStep {
    let chunk: CompletionChunk;
    try {
      chunk = JSON.parse(data);
    } catch {
      return { error: `an event that is not JSON (${data.slice(0, 80)})` };
    }
    if (chunk.error || chunk.object === 'error') return { error: typeof chunk.error === 'string' ? chunk.error : (chunk.error?.message ?? chunk.message ?? 'unknown error') };
    const choice = chunk.choices?.[0];
    if (!choice) return {};
    if (choice.text) this.tokens++;
    const finish = choice.finish_reason ? (typeof choice.stop_reason === 'string' ? 'stop-string' : (FINISH[choice.finish_reason] ?? 'eos')) : undefined;
    return { text: choice.text || undefined, tokens: this.tokens, finish };
  }

  protected async serverTokenCount(text: string): Promise<number | null> {
    if (this.tokenize === false || !this.info) return null;
    try {
      const out = await this.postJson<{ count?: number }>('/tokenize', { model: this.info.modelId, prompt: text });
      this.tokenize = typeof out.count === 'number';
      return out.count ?? null;
    } catch (e) {
      if (e instanceof EngineError && (e.code === 'remote-unreachable' || e.code === 'remote-rate-limited')) throw e;
      this.tokenize = false;
      return null;
    }
  }
}
