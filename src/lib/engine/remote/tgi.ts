/**
 * Hugging Face Text Generation Inference, as its OpenAPI description documents it (TGI 2.x/3.x `docs/openapi.json`):
 * `GET /info` (model_id, max_total_tokens), `POST /tokenize` ({inputs} -> [{id, text}]), and `POST /generate_stream`
 * ({inputs, parameters}) streaming server-sent events of {token: {id, text, special}, generated_text, details}, the
 * last with details.finish_reason `length` | `eos_token` | `stop_sequence`, or {error, error_type}.
 * `inputs` is our rendered prompt as is, so the Agent-FLAN template stays exactly ours.
 */
import { EngineError } from '../errors';
import type { GenerateRequest, StopReason } from '../types';
import { FALLBACK_CONTEXT_LENGTH, RemoteEngine, type RemoteInfo, type StreamStep } from './remote-engine';

interface TgiInfo {
  model_id?: string;
  max_total_tokens?: number;
  max_input_tokens?: number;
  /** TGI 1.x name of max_input_tokens. */
  max_input_length?: number;
}

interface TgiStreamEvent {
  token?: { id: number; text: string; special?: boolean };
  generated_text?: string | null;
  details?: { finish_reason?: string; generated_tokens?: number } | null;
  error?: string;
}

const FINISH: Record<string, StopReason> = { length: 'max-tokens', eos_token: 'eos', stop_sequence: 'stop-string' };

export class TgiEngine extends RemoteEngine {
  readonly kind = 'tgi' as const;
  private tokens = 0;

  protected async describe(): Promise<RemoteInfo> {
    const info = await this.getJson<TgiInfo>('/info');
    if (typeof info.model_id !== 'string') throw new EngineError('remote-server', `${this.endpoint}/info has no model_id: is this a Text Generation Inference server?`);
    return { modelId: info.model_id, contextLength: info.max_total_tokens ?? FALLBACK_CONTEXT_LENGTH };
  }

  protected generation(request: GenerateRequest, stops: string[]) {
    this.tokens = 0;
    const temperature = request.temperature ?? 0;
    // TGI refuses temperature 0 and top_p outside (0, 1): greedy is do_sample false, a top_p of 1 is no top_p.
    const parameters: Record<string, unknown> = { max_new_tokens: request.maxNewTokens, do_sample: temperature > 0, stop: stops, details: true };
    if (temperature > 0) parameters.temperature = temperature;
    if (temperature > 0 && request.topP !== undefined && request.topP > 0 && request.topP < 1) parameters.top_p = request.topP;
    if (request.seed !== undefined) parameters.seed = request.seed;
    return { path: '/generate_stream', body: { inputs: request.prompt, parameters } };
  }

  protected parseEvent(data: string): StreamStep {
    let event: TgiStreamEvent;
    try {
      event = JSON.parse(data);
    } catch {
      return { error: `an event that is not JSON (${data.slice(0, 80)})` };
    }
    if (event.error) return { error: event.error };
    if (event.token) this.tokens++;
    const finish = event.details?.finish_reason;
    return {
      text: event.token && !event.token.special ? event.token.text : undefined,
      tokens: this.tokens,
      finish: event.generated_text != null || finish ? (FINISH[finish ?? ''] ?? 'eos') : undefined,
    };
  }

  protected async serverTokenCount(text: string): Promise<number | null> {
    const tokens = await this.postJson<unknown[]>('/tokenize', { inputs: text });
    return Array.isArray(tokens) ? tokens.length : null;
  }
}
