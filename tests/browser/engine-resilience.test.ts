/**
 * The engine's other paths in real Chromium: the wasm fallback without WebGPU, a reload that loads from
 * browser storage without downloading again, clear errors for a missing or truncated model file (with the
 * stored files kept), a hung worker stopped by the watchdog and restarted, and the same greedy continuation as
 * transformers.js in Node.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resolve } from 'node:path';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Browser } from 'playwright-core';
import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';
import { launchChromium } from '../../scripts/lib/chromium';
import { DIST, TINY_MODEL, loadModel, send, serveDist } from './support/app';
import { reuseVersusFresh } from './support/reuse';
import type { RunningServer } from '../../scripts/lib/static-server';
import type { Engine, GenerateResult, KvStats } from '../../src/lib/engine/types';

let requests: string[] = [];
let intercept: ((req: IncomingMessage, res: ServerResponse) => boolean) | null = null;
let server: RunningServer;

beforeAll(async () => {
  server = await serveDist({
    onRequest: (req) => requests.push(req.url ?? ''),
    intercept: (req, res) => intercept?.(req, res) ?? false,
  });
});
afterAll(async () => {
  await server?.close();
});

const modelFileRequests = () => requests.filter((u) => u.includes(`/models/${TINY_MODEL}/`) && !u.endsWith('manifest.json'));

describe('without WebGPU', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium({ webgpu: false });
  });
  afterAll(async () => browser?.close());

  test('falls back to wasm with a visible notice, chats, and reuses its KV cache exactly', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}?temperature=0&max_new_tokens=8`);
    await loadModel(page);
    const report = page.locator('details.capability');
    await expect.poll(() => report.textContent()).toMatch(/CPU \(wasm\)/);
    expect(await page.getByTestId('device-notice').textContent()).toMatch(/much slower/);
    expect(await send(page, 'Hello?')).not.toBe('');
    const outcome = await reuseVersusFresh(page, 4, 12);
    expect(outcome.reused.map((r) => r.text)).toEqual(outcome.fresh.map((r) => r.text));
    expect(outcome.reused.slice(1).every((r) => r.timings.reusedTokens > 0)).toBe(true);
  });
});

describe('a hung model worker', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium({ webgpu: false });
  });
  afterAll(async () => browser?.close());

  test('is stopped by the watchdog with a clear error; the conversation stays; restart loads the model again and generates', async () => {
    const page = await (await browser.newContext()).newPage();
    // A short silence limit (the default is 60 s), and fault injection allowed: both test-only URL parameters.
    await page.goto(`${server.url}?device=wasm&temperature=0&max_new_tokens=32&watchdog=5&test_faults`);
    await loadModel(page);
    expect(await send(page, 'Hello?')).not.toBe('');
    const llmWorkers = () => page.workers().filter((w) => w.url().includes('llm'));
    const hungWorker = llmWorkers()[0];
    expect(hungWorker).toBeDefined();

    // The worker's next generation spins forever (a synchronous loop) right after its first token.
    await page.evaluate(() => (globalThis as unknown as { agentFlanWeb: { engine: { injectFault(kind: string): Promise<void> } } }).agentFlanWeb.engine.injectFault('spin'));
    requests = [];
    await page.getByTestId('prompt-input').fill('Are you still there?');
    await page.getByTestId('send-button').click();
    const error = page.getByTestId('engine-error');
    await expect.poll(() => error.textContent().catch(() => ''), { timeout: 60_000 }).toMatch(/model worker stopped responding: no sign of life for \d+ s while generating/);
    expect(await error.textContent()).toMatch(/Restart the model to continue; your conversation and the downloaded model files are kept/);
    expect(await page.getByTestId('engine-status').getAttribute('data-state')).toBe('error');
    await expect.poll(() => page.workers().includes(hungWorker), { timeout: 10_000 }).toBe(false);

    // The conversation is still on screen.
    const userMessages = () => page.locator('[data-testid="message"][data-role="user"]').allTextContents();
    expect(await userMessages()).toEqual(['Hello?', 'Are you still there?']);
    expect(await page.getByTestId('load-button').textContent()).toMatch(/Restart the model/);

    // Restart: the model loads again from browser storage (no model file fetched) and generates.
    await loadModel(page);
    expect(modelFileRequests()).toEqual([]);
    expect(await page.getByTestId('load-button').textContent()).toMatch(/Reload/);
    expect(await send(page, 'Back again?')).not.toBe('');
    expect(await userMessages()).toEqual(['Hello?', 'Are you still there?', 'Back again?']);
    expect(llmWorkers()).toHaveLength(1);
  });
});

describe('with WebGPU', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium({ webgpu: true });
  });
  afterAll(async () => browser?.close());

  test('a reload loads the model from browser storage without downloading its files again', async () => {
    const page = await (await browser.newContext()).newPage();
    requests = [];
    await page.goto(`${server.url}?max_new_tokens=4`);
    await loadModel(page);
    expect(modelFileRequests().length).toBeGreaterThan(0);
    requests = [];
    await page.reload();
    await loadModel(page);
    expect(modelFileRequests()).toEqual([]);
  });

  test('a missing model file gets a clear error; files already stored are kept', async () => {
    const page = await (await browser.newContext()).newPage();
    intercept = (req, res) => {
      if (!req.url?.endsWith('/onnx/model_q4.onnx_data')) return false;
      res.writeHead(404).end();
      return true;
    };
    requests = [];
    await page.goto(`${server.url}?max_new_tokens=4`);
    await page.getByTestId('load-button').click();
    const error = page.getByTestId('engine-error');
    await expect.poll(() => error.textContent(), { timeout: 60_000 }).toMatch(/not found \(HTTP 404\).*model_q4\.onnx_data/);
    expect(await page.getByTestId('engine-status').getAttribute('data-state')).toBe('error');
    intercept = null;
    requests = [];
    await loadModel(page);
    expect(modelFileRequests().map((u) => u.split('/').pop())).toEqual(['model_q4.onnx_data']);
  });

  test('a model file cut short by the server gets a clear error naming the file and the bytes received', async () => {
    const page = await (await browser.newContext()).newPage();
    const file = resolve(DIST, 'models', TINY_MODEL, 'onnx', 'model_q4.onnx');
    const half = Math.floor(statSync(file).size / 2);
    intercept = (req, res) => {
      if (!req.url?.endsWith('/onnx/model_q4.onnx')) return false;
      res.writeHead(200, { 'Content-Length': half, 'Content-Type': 'application/octet-stream' });
      createReadStream(file, { start: 0, end: half - 1 }).pipe(res);
      return true;
    };
    try {
      await page.goto(`${server.url}?max_new_tokens=4`);
      await page.getByTestId('load-button').click();
      const error = page.getByTestId('engine-error');
      await expect.poll(() => error.textContent(), { timeout: 150_000 }).toMatch(new RegExp(`model_q4\\.onnx.*${half} of ${2 * half}|model_q4\\.onnx.*${half} of ${2 * half + 1}`));
    } finally {
      intercept = null;
    }
  });

  test('a corrupt model file is refused by its SHA-256, not kept as good, and the next load fetches it whole', async () => {
    const page = await (await browser.newContext()).newPage();
    const file = resolve(DIST, 'models', TINY_MODEL, 'onnx', 'model_q4.onnx');
    const bytes = readFileSync(file);
    bytes[bytes.length >> 1] ^= 0xff;
    intercept = (req, res) => {
      if (!req.url?.endsWith('/onnx/model_q4.onnx')) return false;
      res.writeHead(200, { 'Content-Length': bytes.length, 'Content-Type': 'application/octet-stream' }).end(bytes);
      return true;
    };
    try {
      await page.goto(`${server.url}?max_new_tokens=4`);
      await page.getByTestId('load-button').click();
      const error = page.getByTestId('engine-error');
      await expect.poll(() => error.textContent(), { timeout: 60_000 }).toMatch(/model_q4\.onnx is corrupt \(SHA-256/);
    } finally {
      intercept = null;
    }
    requests = [];
    await loadModel(page);
    const fetched = modelFileRequests().map((u) => u.split('/').pop());
    expect(fetched).toContain('model_q4.onnx');
    // Files verified before the corrupt one stay stored.
    expect(fetched).not.toContain('tokenizer.json');
    expect(fetched).not.toContain('config.json');
    expect(await send(page, 'Works now?')).not.toBe('');
  });

  // Prompts of 32+ new tokens take onnxruntime-web's FlashAttention prefill, which is wrong on SwiftShader's
  // 4-lane subgroups unless the engine gives it a device without subgroups (src/lib/engine/webgpu-device.ts).
  const SHORT_PROMPT = '<|Human|>\u0D46List the tables.\n <|Assistant|>\u0D46';
  const LONG_PROMPT =
    '<|System|>\u0D46You are an agent that answers questions about a SQLite database. Use the tools when needed, ' +
    'think step by step, and give the final answer in one short sentence.\n <|Human|>\u0D46The database has tables ' +
    'customers, orders and products. Which customer placed the most orders in March, and how many were there?\n <|Assistant|>\u0D46';

  test('fresh greedy continuations on WebGPU, of a short and of a 60+ token prompt, equal transformers.js generate() in Node (CPU)', async () => {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = resolve(DIST, 'models') + '/';
    const tokenizer = await AutoTokenizer.from_pretrained(TINY_MODEL);
    const model = await AutoModelForCausalLM.from_pretrained(TINY_MODEL, { dtype: 'q4', device: 'cpu' });
    const nodeTexts: string[] = [];
    for (const prompt of [SHORT_PROMPT, LONG_PROMPT]) {
      const inputs = tokenizer(prompt);
      if (prompt === LONG_PROMPT) expect(inputs.input_ids.dims[1]).toBeGreaterThanOrEqual(60);
      const output = (await model.generate({ ...inputs, max_new_tokens: 6, do_sample: false })) as { tolist(): bigint[][] };
      const ids = output.tolist()[0].slice(inputs.input_ids.dims[1]).map(Number).filter((id) => id !== 2 && id !== 30387);
      nodeTexts.push(tokenizer.decode(ids, { skip_special_tokens: true }));
    }
    await model.dispose();

    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}?device=webgpu&max_new_tokens=4`);
    await loadModel(page);
    const report = (await page.locator('details.capability').textContent()) ?? '';
    if (/swiftshader/i.test(report)) expect(report).toMatch(/without subgroups/);
    const { texts: browserTexts, kv } = await page.evaluate(async (prompts) => {
      const { engine } = (globalThis as unknown as { agentFlanWeb: { engine: Engine & { stats(): Promise<KvStats> } } }).agentFlanWeb;
      const texts: string[] = [];
      const kv: KvStats[] = [];
      for (const p of prompts) {
        await engine.reset();
        texts.push(((await engine.generate({ prompt: p, temperature: 0, maxNewTokens: 6 })) as GenerateResult).text);
        kv.push(await engine.stats());
      }
      return { texts, kv };
    }, [SHORT_PROMPT, LONG_PROMPT]);
    expect(nodeTexts.every((t) => t.length > 0)).toBe(true);
    expect(browserTexts).toEqual(nodeTexts);
    // The KV cache stays on the GPU between steps (one static buffer per layer and K/V): no per-step download
    // and upload of the cache.
    for (const s of kv) {
      expect(s.kvTensors).toBeGreaterThan(0);
      expect(s.kvLocation).toBe('gpu-buffer');
    }
  });

  test('reuses its KV cache exactly on WebGPU: each turn equals the same prompt prefilled fresh', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}?device=webgpu&temperature=0&max_new_tokens=8`);
    await loadModel(page);
    // SwiftShader decodes at ~0.5 token/s on this machine: 3 turns of 4 tokens, twice.
    const outcome = await reuseVersusFresh(page, 3, 4);
    console.log(outcome.fresh.map((r) => `fresh prompt ${r.timings.promptTokens} tokens, ${r.timings.decodeTokensPerSecond.toFixed(2)} tok/s`).join('\n'));
    expect(outcome.fresh.some((r) => r.timings.promptTokens >= 32)).toBe(true);
    expect(outcome.reused.map((r) => r.text)).toEqual(outcome.fresh.map((r) => r.text));
    expect(outcome.reused.slice(1).every((r) => r.timings.reusedTokens > 0)).toBe(true);
  }, 300_000);

  test('a prompt that leaves the cached ids part-way cuts the static cache back (a mask reset) and continues as a fresh prefill would', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}?device=webgpu&temperature=0&max_new_tokens=4`);
    await loadModel(page);
    const { cropped, fresh } = await page.evaluate(async (base) => {
      const { engine } = (globalThis as unknown as { agentFlanWeb: { engine: Engine } }).agentFlanWeb;
      await engine.reset();
      await engine.generate({ prompt: base + 'Which table is the largest?\n <|Assistant|>\u0D46', temperature: 0, maxNewTokens: 2 });
      const next = base + 'Count the rows of every table.\n <|Assistant|>\u0D46';
      const cropped = (await engine.generate({ prompt: next, temperature: 0, maxNewTokens: 4 })) as GenerateResult;
      await engine.reset();
      const fresh = (await engine.generate({ prompt: next, temperature: 0, maxNewTokens: 4 })) as GenerateResult;
      return { cropped, fresh };
    }, LONG_PROMPT.slice(0, LONG_PROMPT.indexOf('Which')));
    // Some of the cached ids are reused and the ones after the divergence are cut away (not a full reset).
    expect(cropped.timings.reusedTokens).toBeGreaterThan(0);
    expect(cropped.timings.reusedTokens).toBeLessThan(cropped.timings.promptTokens);
    expect(cropped.text).toBe(fresh.text);
  }, 300_000);
});
