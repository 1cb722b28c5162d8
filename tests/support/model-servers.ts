/**
 * Test servers on 127.0.0.1 that speak Text Generation Inference and OpenAI-compatible completions as their
 * documentation describes (see src/lib/engine/remote/tgi.ts and openai.ts for the fields), generating with the
 * project's tiny model through onnxruntime-node (the NodeEngine: real tokens, real stops), plus one-shot injected
 * faults: a connection dropped mid-stream, HTTP 500, 429 with Retry-After, a slow first byte.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StopReason } from '../../src/lib/engine/types';
import { NodeEngine } from '../../scripts/lib/node-engine';

export type Fault = 'drop-mid-stream' | 'status-500' | 'status-429' | 'slow-first-byte';

export interface ModelServer {
  url: string;
  /** Faults for the next generation requests, one each, in order. */
  faults: Fault[];
  /** Requests seen, path and status, for assertions. */
  log: { path: string; status: number }[];
  /** Generations the client cut off (its connection closed before the reply ended). */
  aborted: number;
  /** The most generation requests that were open at once (a client's concurrency, as the server sees it). */
  maxInFlight: number;
  close(): Promise<void>;
}

export interface ServerOptions {
  protocol: 'tgi' | 'openai';
  engine: NodeEngine;
  apiKey?: string;
  /** Send Access-Control-Allow-Origin: * (default true); false makes a browser's CORS check refuse every reply. */
  cors?: boolean;
  /** Seconds in the 429's Retry-After. */
  retryAfter?: number;
  slowMs?: number;
}

const TGI_FINISH: Record<StopReason, string> = { eos: 'eos_token', 'stop-string': 'stop_sequence', 'max-tokens': 'length', interrupted: 'length' };
const OPENAI_FINISH: Record<StopReason, string> = { eos: 'stop', 'stop-string': 'stop', 'max-tokens': 'length', interrupted: 'length' };

/**
 * vLLM's `stop_reason`: the stop string that ended the reply, or null. The engine does not say which of the request's
 * stops matched; with one stop string per request (the tests) it is that one.
 */
function stopReasonOf(reason: StopReason, stops: unknown): string | null {
  return reason === 'stop-string' && Array.isArray(stops) ? String(stops[0]) : null;
}

export async function startModelServer(options: ServerOptions): Promise<ModelServer> {
  const { engine, protocol } = options;
  const contextLength = engine.contextLength;
  const state: Omit<ModelServer, 'url' | 'close'> = { faults: [], log: [], aborted: 0, maxInFlight: 0 };
  let inFlight = 0;

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    state.log.at(-1)!.status = status;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  async function generate(res: ServerResponse, body: Record<string, unknown>) {
    const tgi = protocol === 'tgi';
    const parameters = (tgi ? body.parameters : body) as Record<string, unknown>;
    const prompt = String(tgi ? body.inputs : body.prompt);
    const maxNewTokens = Number((tgi ? parameters.max_new_tokens : parameters.max_tokens) ?? 20);
    const temperature = parameters.temperature as number | undefined;
    const topP = parameters.top_p as number | undefined;
    if (tgi && temperature !== undefined && !(temperature > 0)) return json(res, 422, { error: 'Input validation error: `temperature` must be strictly positive', error_type: 'validation' });
    if (tgi && topP !== undefined && !(topP > 0 && topP < 1)) return json(res, 422, { error: 'Input validation error: `top_p` must be > 0.0 and < 1.0', error_type: 'validation' });
    const promptTokens = await engine.countTokens(prompt);
    if (promptTokens + maxNewTokens > contextLength) {
      return tgi
        ? json(res, 422, { error: `Input validation error: \`inputs\` tokens + \`max_new_tokens\` must be <= ${contextLength}. Given: ${promptTokens} \`inputs\` tokens and ${maxNewTokens} \`max_new_tokens\``, error_type: 'validation' })
        : json(res, 400, { object: 'error', message: `This model's maximum context length is ${contextLength} tokens. However, you requested ${promptTokens + maxNewTokens} tokens (${promptTokens} in the messages, ${maxNewTokens} in the completion). Please reduce the length of the messages or completion.`, type: 'BadRequestError', code: 400 });
    }
    // Listened for before any wait: a client that leaves during the slow first byte gets no generation at all.
    let closed = false;
    res.on('close', () => {
      if (!res.writableFinished) {
        closed = true;
        state.aborted++;
      }
    });
    const fault = state.faults.shift();
    if (fault === 'status-500') return json(res, 500, tgi ? { error: 'Request failed during generation: Server error: CUDA out of memory', error_type: 'generation' } : { object: 'error', message: 'Internal server error', type: 'InternalServerError', code: 500 });
    if (fault === 'status-429') return json(res, 429, { error: 'Model is overloaded', error_type: 'overloaded' }, { 'retry-after': String(options.retryAfter ?? 1) });
    if (fault === 'slow-first-byte') await new Promise((r) => setTimeout(r, options.slowMs ?? 1500));
    if (closed) return;
    state.log.at(-1)!.status = 200;

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (data: unknown) => !closed && res.write(`data:${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    let shown = '';
    let events = 0;
    const result = await engine.generate(
      { prompt, maxNewTokens, temperature: temperature ?? 0, topP: topP ?? 1, stop: parameters.stop as string[] | undefined, seed: parameters.seed as number | undefined },
      (e) => {
        // Ends this request's generation (not another connection's, as engine.interrupt() could) at its next token.
        if (closed) throw new Error('the client closed the connection');
        const delta = e.text.slice(shown.length);
        shown = e.text;
        events++;
        if (fault === 'drop-mid-stream' && events === 3) {
          res.socket?.destroy();
          closed = true;
          return;
        }
        send(tgi ? { index: events, token: { id: 0, text: delta, logprob: 0, special: false }, generated_text: null, details: null } : { id: 'cmpl-test', object: 'text_completion', model: engine.modelId, choices: [{ index: 0, text: delta, finish_reason: null }] });
      },
    );
    if (closed) return;
    const rest = result.text.slice(shown.length);
    if (tgi) {
      const token = result.stopReason === 'eos' ? { id: 2, text: '</s>', logprob: 0, special: true } : { id: 0, text: rest, logprob: 0, special: false };
      send({ index: events + 1, token, generated_text: result.text, details: { finish_reason: TGI_FINISH[result.stopReason], generated_tokens: result.tokens, seed: null } });
    } else {
      send({ id: 'cmpl-test', object: 'text_completion', model: engine.modelId, choices: [{ index: 0, text: rest, finish_reason: OPENAI_FINISH[result.stopReason], stop_reason: stopReasonOf(result.stopReason, parameters.stop) }] });
      send('[DONE]');
    }
    res.end();
  }

  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    state.log.push({ path, status: 0 });
    if (options.cors !== false) {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('access-control-allow-headers', 'authorization, content-type');
    }
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      state.log.at(-1)!.status = 401;
      return json(res, 401, protocol === 'tgi' ? { error: 'Unauthorized', error_type: 'authentication' } : { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: Record<string, unknown> = {};
    try {
      if (chunks.length) body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return json(res, 400, { error: 'body is not JSON' });
    }
    try {
      if (protocol === 'tgi' && path === '/info') return json(res, 200, { model_id: engine.modelId, max_total_tokens: contextLength, max_input_tokens: contextLength - 1, max_stop_sequences: 4, version: 'test' });
      if (protocol === 'tgi' && path === '/tokenize') return json(res, 200, (await engine.tokenize(String(body.inputs))).map((id) => ({ id, text: '' })));
      if ((protocol === 'tgi' && path === '/generate_stream') || (protocol === 'openai' && path === '/v1/completions')) {
        state.maxInFlight = Math.max(state.maxInFlight, ++inFlight);
        res.on('close', () => inFlight--);
        return await generate(res, body);
      }
      if (protocol === 'openai' && path === '/v1/models') return json(res, 200, { object: 'list', data: [{ id: engine.modelId, object: 'model', owned_by: 'test', max_model_len: contextLength }] });
      if (protocol === 'openai' && path === '/tokenize') return json(res, 200, { count: await engine.countTokens(String(body.prompt)), max_model_len: contextLength });
      json(res, 404, { error: `no route ${path}` });
    } catch (e) {
      if (!res.headersSent) json(res, 500, { error: (e as Error).message });
      else res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
