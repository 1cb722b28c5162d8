/**
 * The TGI and OpenAI-compatible engines against servers on 127.0.0.1 that speak each protocol and generate with the
 * tiny test model through onnxruntime-node: the same greedy tokens as the model run directly, stop strings, the
 * server's context limit, an episode through the loop, an evaluation spread over two endpoints, and the faults a
 * real deployment meets (a connection dropped mid-stream, 500, 429 with Retry-After, a slow first byte, a refused
 * key, a dead host), each with its own error code and the conversation untouched.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolve } from 'node:path';
import { createServer } from 'node:net';
import { NodeEngine } from '../../scripts/lib/node-engine';
import { startModelServer, type ModelServer } from '../support/model-servers';
import { TgiEngine } from '../../src/lib/engine/remote/tgi';
import { OpenAIEngine } from '../../src/lib/engine/remote/openai';
import { retryAfterMs, type RemoteEngine } from '../../src/lib/engine/remote/remote-engine';
import { EngineError } from '../../src/lib/engine/errors';
import { renderPrompt } from '../../src/lib/agent/template';
import { runSuite } from '../../src/lib/agent/eval/run-suite';
import { suiteEpisodes } from '../../src/lib/agent/eval/suites';
import { loadEnvModule } from '../../src/lib/tasks/registry';
import type { EpisodeRecord } from '../../src/lib/agent/record';

const modelDir = resolve(import.meta.dirname, '../../public/models/tiny-random-agent-flan');
const PROMPT = renderPrompt([{ role: 'user', content: 'List the files in the current directory.' }]);
let model: NodeEngine;
// Each test generates with the model on the CPU, which a loaded 2-core machine makes slow: no speed is asserted.
vi.setConfig({ testTimeout: 30_000 });

beforeAll(async () => {
  model = new NodeEngine(modelDir, 'q4');
  await model.load();
}, 60_000);

async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

async function failure(p: Promise<unknown>): Promise<EngineError> {
  const e = await p.then(
    () => expect.fail('expected the call to fail'),
    (e: unknown) => e,
  );
  expect(e).toBeInstanceOf(EngineError);
  return e as EngineError;
}

describe.each([
  ['tgi', (endpoint: string, apiKey?: string) => new TgiEngine({ endpoint, apiKey })],
  ['openai', (endpoint: string, apiKey?: string) => new OpenAIEngine({ endpoint, apiKey })],
] as const)('%s engine', (protocol, makeEngine) => {
  let server: ModelServer;
  let engine: RemoteEngine;
  beforeAll(async () => {
    server = await startModelServer({ protocol, engine: model, retryAfter: 1 });
    engine = makeEngine(server.url);
  });
  afterAll(() => server.close());

  it('reads the model and context from the server, and generates the same greedy tokens as the model itself', async () => {
    const report = await engine.load();
    expect(report).toMatchObject({ modelId: 'tiny-random-agent-flan', contextLength: 4096, device: 'remote' });
    const direct = await model.generate({ prompt: PROMPT, maxNewTokens: 12, temperature: 0 });
    const streamed: string[] = [];
    const remote = await engine.generate({ prompt: PROMPT, maxNewTokens: 12, temperature: 0, topP: 0.8 }, (e) => streamed.push(e.text));
    expect(remote.text).toBe(direct.text);
    expect(remote.stopReason).toBe(direct.stopReason === 'eos' ? 'eos' : 'max-tokens');
    expect(streamed.length).toBeGreaterThan(2);
    expect(direct.text.startsWith(streamed.at(-1)!)).toBe(true);
    expect(await engine.countTokens(PROMPT)).toBe(await model.countTokens(PROMPT));
  });

  it('stops on a stop string and leaves it out', async () => {
    const direct = await model.generate({ prompt: PROMPT, maxNewTokens: 12, temperature: 0 });
    const stop = direct.text.slice(4, 8);
    const at = direct.text.indexOf(stop);
    const remote = await engine.generate({ prompt: PROMPT, maxNewTokens: 12, temperature: 0, stop: [stop] });
    expect(remote).toMatchObject({ text: direct.text.slice(0, at), stopReason: 'stop-string' });
  });

  it("says when the prompt is over the server's context", async () => {
    const e = await failure(engine.generate({ prompt: PROMPT, maxNewTokens: 5000 }));
    expect(e.code).toBe('context-overflow');
    expect(e.message).toMatch(/longer than the server's context/);
  });

  it('a stream cut mid-reply, a 500 and a 429 past its retries are errors that say so; a 429 within them is waited out', async () => {
    server.faults.push('drop-mid-stream');
    const cut = await failure(engine.generate({ prompt: PROMPT, maxNewTokens: 12, temperature: 0 }));
    expect(cut.code).toBe('remote-stream-cut');
    expect(cut.message).toMatch(/ended mid-reply/);

    server.faults.push('status-500');
    const e500 = await failure(engine.generate({ prompt: PROMPT, maxNewTokens: 4, temperature: 0 }));
    expect(e500.code).toBe('remote-server');
    expect(e500.message).toMatch(/HTTP 500/);

    const patient = makeEngine(server.url);
    await patient.load();
    server.faults.push('status-429');
    server.log.length = 0;
    const after = await patient.generate({ prompt: PROMPT, maxNewTokens: 4, temperature: 0 });
    expect(after.tokens).toBeGreaterThan(0);
    expect(server.log.filter((l) => l.path.endsWith('generate_stream') || l.path.endsWith('completions')).map((l) => l.status)).toEqual([429, 200]);

    const impatient = protocol === 'tgi' ? new TgiEngine({ endpoint: server.url, maxRetries: 0 }) : new OpenAIEngine({ endpoint: server.url, maxRetries: 0 });
    await impatient.load();
    server.faults.push('status-429');
    const e429 = await failure(impatient.generate({ prompt: PROMPT, maxNewTokens: 4 }));
    expect(e429.code).toBe('remote-rate-limited');
    expect(e429.details.retryAfterMs).toBe(1000);
    expect(e429.message).toMatch(/wait 1 s/);
  }, 30_000);

  it('waits for a slow first byte, and an interrupt aborts the request', async () => {
    server.faults.push('slow-first-byte');
    expect((await engine.generate({ prompt: PROMPT, maxNewTokens: 4, temperature: 0 })).tokens).toBeGreaterThan(0);

    server.faults.push('slow-first-byte');
    const before = server.log.length;
    const running = engine.generate({ prompt: PROMPT, maxNewTokens: 400, temperature: 0 });
    while (server.log.length === before || server.log.at(-1)!.status !== 0) await new Promise((r) => setTimeout(r, 20));
    await engine.interrupt();
    expect(await running).toMatchObject({ stopReason: 'interrupted' });
  });

  it('a refused key and a dead host are told apart', async () => {
    const guarded = await startModelServer({ protocol, engine: model, apiKey: 'right' });
    try {
      expect((await failure(makeEngine(guarded.url, 'wrong').load())).code).toBe('remote-auth');
      expect((await failure(makeEngine(guarded.url).load())).message).toMatch(/needs an API key/);
      expect((await makeEngine(guarded.url, 'right').load()).modelId).toBe('tiny-random-agent-flan');
    } finally {
      await guarded.close();
    }
    const dead = await failure(makeEngine(`http://127.0.0.1:${await deadPort()}`).load());
    expect(dead.code).toBe('remote-unreachable');
    expect(dead.message).toMatch(/ECONNREFUSED/);
  });
});

describe('remote evaluation', () => {
  it('spreads a suite over two TGI endpoints with bounded concurrency, recording each episode', async () => {
    const servers = await Promise.all([0, 1].map(() => startModelServer({ protocol: 'tgi', engine: model })));
    try {
      const slots = await Promise.all(
        servers.map(async (s) => {
          const engine = new TgiEngine({ endpoint: s.url });
          const report = await engine.load();
          return { engine, contextLength: report.contextLength, model: { engine: 'tgi', id: report.modelId, device: s.url } };
        }),
      );
      const episodes = (await suiteEpisodes('agent-h')).slice(0, 4);
      const records: EpisodeRecord[] = [];
      await runSuite({
        episodes,
        finished: new Map(),
        slots,
        mode: 'strict',
        sampling: { temperature: 0, maxNewTokens: 4 },
        createEnv: async (id) => {
          const module = await loadEnvModule(id);
          return { env: await module.create(), protocolId: module.protocolId };
        },
        onRecord: async (_, record) => void records.push(record),
      });
      expect(records).toHaveLength(4);
      const endpoints = new Set(records.map((r) => (r[0].type === 'start' ? r[0].model.device : '')));
      expect(endpoints).toEqual(new Set(servers.map((s) => s.url)));
      for (const r of records) expect(r.find((e) => e.type === 'reply')).toMatchObject({ tokens: expect.any(Number) });
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  }, 60_000);
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(null)).toBe(1000);
    expect(retryAfterMs(new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThan(50_000);
    expect(retryAfterMs('soon')).toBe(Infinity);
  });
});
