/**
 * What the remote engines (TGI, OpenAI-compatible completions) share: one streamed HTTP request per generation,
 * stop strings applied to the text as it arrives (as the local engine does), `interrupt()` aborting the request,
 * and errors that say what happened and what to do, typed by `EngineError.code`: unreachable host, CORS refusal, a
 * server this page's policy does not admit (fetch-failure.ts),
 * 401/403, 429 (retried after `Retry-After`), 5xx, a prompt over the server's context, a stream cut mid-reply.
 * The conversation lives in the caller, so every failure leaves it as it was.
 */
import { EngineError } from '../errors';
import { cutAtStop, generationTimings, tokenEvent } from '../generation';
import type { Engine, GenerateRequest, GenerateResult, LoadReport, StopReason, TokenEvent } from '../types';
import { fetchFailure, watchPolicy } from './fetch-failure';
import { sseData } from './sse';

import type { RemoteKind } from './configured-origin';

export type { RemoteKind };

/** Agent-FLAN's end of turn (U+0D3F, token 30387): a server knows only its own EOS, so it is always a stop. */
export const END_OF_TURN = '\u0d3f';
/** When the server does not say (or is not asked) how long its context is. */
export const FALLBACK_CONTEXT_LENGTH = 4096;

export interface RemoteOptions {
  /** Base URL, e.g. `http://127.0.0.1:8080` (TGI) or `http://127.0.0.1:8000` (vLLM; `/v1` is added). */
  endpoint: string;
  apiKey?: string;
  /** 429 answers retried after their `Retry-After` before giving up. Default 3. */
  maxRetries?: number;
  /** Longest `Retry-After` waited for; a longer one fails at once, saying when to try again. Default 60 s. */
  maxRetryWaitMs?: number;
}

export interface RemoteInfo {
  modelId: string;
  contextLength: number;
}

/** One parsed stream event: text to append, and whether (and why) the reply is complete. */
export interface StreamStep {
  text?: string;
  /** The server's count of generated tokens, where it tells. */
  tokens?: number;
  finish?: StopReason;
  error?: string;
}

export abstract class RemoteEngine implements Engine {
  abstract readonly kind: RemoteKind;
  readonly endpoint: string;
  protected info: RemoteInfo | null = null;
  private readonly controllers = new Set<AbortController>();

  constructor(protected readonly options: RemoteOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
  }

  /** Reads the model id and context length from the server (TGI `GET /info`, OpenAI `GET /v1/models`). */
  protected abstract describe(): Promise<RemoteInfo>;
  /** The path and JSON body of a streamed generation. */
  protected abstract generation(request: GenerateRequest, stops: string[], info: RemoteInfo): { path: string; body: unknown };
  protected abstract parseEvent(data: string): StreamStep;
  /** Tokens the server counts for this prompt, or null when it has no way to tell. */
  protected abstract serverTokenCount(text: string): Promise<number | null>;

  async load(): Promise<LoadReport> {
    const started = performance.now();
    this.info = await this.describe();
    return {
      modelId: this.info.modelId,
      device: 'remote',
      dtype: 'remote',
      adapter: { available: false, shaderF16: false },
      reasons: [`${this.kind === 'tgi' ? 'Text Generation Inference' : 'OpenAI-compatible'} server at ${this.endpoint}`],
      loadMs: performance.now() - started,
      contextLength: this.info.contextLength,
    };
  }

  /** "Test connection": what `load` reads, without keeping it. */
  async test(): Promise<RemoteInfo> {
    return this.describe();
  }

  async generate(request: GenerateRequest, onToken?: (e: TokenEvent) => void): Promise<GenerateResult> {
    const info = this.info;
    if (!info) throw new EngineError('not-loaded', 'Connect to the server first (load the remote engine).');
    const stops = [...new Set([...(request.stop ?? []), END_OF_TURN])].filter(Boolean);
    const { path, body } = this.generation(request, stops, info);
    const controller = new AbortController();
    this.controllers.add(controller);
    const started = performance.now();
    let text = '';
    let tokens = 0;
    let ttftMs = 0;
    let stopReason: StopReason | undefined;
    try {
      const response = await this.send(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', accept: 'text/event-stream' } }, controller.signal);
      if (!response.body) throw new EngineError('remote-server', `${this.endpoint} answered without a body; expected a stream of server-sent events.`);
      for await (const data of sseData(response.body)) {
        if (data === '[DONE]') break;
        const step = this.parseEvent(data);
        if (step.error) throw new EngineError('remote-server', `The server stopped with an error: ${step.error}. The conversation is kept; try again.`);
        if (step.text) {
          if (!ttftMs) ttftMs = performance.now() - started;
          text += step.text;
          tokens = step.tokens ?? tokens + 1;
          const cut = cutAtStop(text, stops);
          if (cut !== null) {
            text = cut;
            stopReason = 'stop-string';
            break;
          }
          onToken?.(tokenEvent(text, stops, tokens, (performance.now() - started - ttftMs) / 1000));
        }
        if (step.finish) {
          stopReason = step.finish;
          break;
        }
      }
      if (!stopReason) throw streamCut(text);
    } catch (e) {
      if (controller.signal.aborted) stopReason = 'interrupted';
      else if (e instanceof EngineError) throw e;
      else if (text || ttftMs) throw streamCut(text, e);
      else throw e;
    } finally {
      this.controllers.delete(controller);
      controller.abort();
    }
    const decodeSeconds = (performance.now() - started - ttftMs) / 1000;
    return {
      text,
      tokens,
      stopReason,
      timings: generationTimings({ promptTokens: (await this.serverTokenCount(request.prompt).catch(() => null)) ?? estimateTokens(request.prompt), reusedTokens: 0, prefillMs: ttftMs, ttftMs }, tokens, decodeSeconds),
    };
  }

  async interrupt(): Promise<void> {
    for (const c of this.controllers) c.abort();
  }

  /** The server keeps no conversation state between requests. */
  async reset(): Promise<void> {}

  async countTokens(text: string): Promise<number> {
    return (await this.serverTokenCount(text).catch(() => null)) ?? estimateTokens(text);
  }

  async unload(): Promise<void> {
    await this.interrupt();
    this.info = null;
  }

  protected url(path: string): string {
    return `${this.endpoint}${path}`;
  }

  protected async getJson<T>(path: string): Promise<T> {
    const response = await this.send(path, { method: 'GET', headers: { accept: 'application/json' } });
    try {
      return (await response.json()) as T;
    } catch {
      throw new EngineError('remote-server', `${this.url(path)} did not answer with JSON: is this a ${this.kind === 'tgi' ? 'TGI' : 'OpenAI-compatible'} server?`);
    }
  }

  protected async postJson<T>(path: string, body: unknown): Promise<T> {
    const response = await this.send(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', accept: 'application/json' } });
    return (await response.json()) as T;
  }

  /** One request, with the API key, 429 retries after `Retry-After`, and every failure turned into an EngineError. */
  private async send(path: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.options.apiKey) headers.set('authorization', `Bearer ${this.options.apiKey}`);
    const url = this.url(path);
    const maxRetries = this.options.maxRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      const policy = watchPolicy(url);
      try {
        response = await fetch(url, { ...init, headers, signal });
      } catch (e) {
        if (signal?.aborted) throw e;
        throw await fetchFailure(url, e, policy);
      } finally {
        policy.stop();
      }
      if (response.ok) return response;
      const detail = await errorText(response);
      if (response.status === 429) {
        const waitMs = retryAfterMs(response.headers.get('retry-after'));
        const maxWait = this.options.maxRetryWaitMs ?? 60_000;
        if (attempt < maxRetries && waitMs <= maxWait) {
          await sleep(waitMs, signal);
          continue;
        }
        const when = Number.isFinite(waitMs) ? ` It asks to wait ${Math.ceil(waitMs / 1000)} s.` : '';
        throw new EngineError('remote-rate-limited', `${origin(url)} is rate-limiting requests (HTTP 429${attempt ? `, after ${attempt} retries` : ''}).${when} The conversation is kept; try again later.`, { retryAfterMs: waitMs });
      }
      if (response.status === 401 || response.status === 403) {
        throw new EngineError('remote-auth', `${origin(url)} refused the request (HTTP ${response.status}${detail ? `: ${detail}` : ''}). ${this.options.apiKey ? 'Check the API key' : 'It needs an API key'} in the Models view.`);
      }
      if (isContextError(detail)) {
        throw new EngineError('context-overflow', `The prompt is longer than the server's context allows (${detail}). Shorten the conversation or ask for fewer new tokens.`);
      }
      if (response.status >= 500) {
        throw new EngineError('remote-server', `${origin(url)} failed (HTTP ${response.status}${detail ? `: ${detail}` : ''}). The conversation is kept; try again, or check the server's log.`, { status: response.status });
      }
      throw new EngineError('remote-server', `${url} answered HTTP ${response.status}${detail ? `: ${detail}` : ''}.`, { status: response.status });
    }
  }
}

/** A rough upper estimate for a server that cannot count: Llama-2 pieces average ~3-4 characters of English. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 2.5) + 1;
}

function origin(url: string): string {
  return new URL(url).origin;
}

function streamCut(text: string, cause?: unknown): EngineError {
  const why = cause instanceof Error ? ` (${cause.message})` : '';
  return new EngineError('remote-stream-cut', `The server's stream ended mid-reply after ${text.length} characters${why}. The conversation is kept; run the turn again.`, { partial: text });
}

async function errorText(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const json = JSON.parse(text) as { error?: string | { message?: string }; message?: string };
    const error = typeof json.error === 'string' ? json.error : (json.error?.message ?? json.message);
    if (error) return error;
  } catch {
    // not JSON: the text itself
  }
  return text.slice(0, 300).trim();
}

/** TGI: "`inputs` tokens + `max_new_tokens` must be <= 4096"; vLLM/OpenAI: "maximum context length is 4096 tokens". */
function isContextError(detail: string): boolean {
  return /must be <=|maximum context length|context length|context window|exceeds the (available )?context/i.test(detail);
}

/** `Retry-After`: seconds or an HTTP date; absent means retry after a second. */
export function retryAfterMs(value: string | null): number {
  if (value === null || value.trim() === '') return 1000;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? Infinity : Math.max(0, date - Date.now());
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}
