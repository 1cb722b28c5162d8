/**
 * Soak: 100 tiny-model episodes in one booth page (wasm backend, one short turn each), printing JS heap
 * (page and model worker, after garbage collection) and KV tensor counts at start, middle and end, and
 * asserting they stay flat. Growth bounds, not timings: a KV cache or trace kept per episode would
 * exceed them (the tiny model's KV for one episode's ~1k-token prompt is ~0.5 MB).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { captureConsole, launchChromium } from '../../scripts/lib/chromium';
import { DIST, TINY_MODEL, serveDist } from './support/app';
import type { RunningServer } from '../../scripts/lib/static-server';

const EPISODES = Number(process.env.SOAK_EPISODES ?? 100);
const MB = 1024 ** 2;
/** Allowed growth from the warm measurement (after the first tenth of the episodes) to the end. */
const PAGE_HEAP_GROWTH = 8 * MB;
const WORKER_HEAP_GROWTH = 16 * MB;
const numLayers = (JSON.parse(readFileSync(resolve(DIST, 'models', TINY_MODEL, 'manifest.json'), 'utf8')) as { numLayers: number }).numLayers;

type BoothHook = { agentFlanWeb: { booth: { running: boolean; outcome: { reason: string } | null }; engine: { stats(): Promise<{ cachedTokens: number; kvTensors: number }> } } };

let server: RunningServer;
let browser: Browser;
let page: Page;
let cdp: CDPSession;
let consoleLines: string[];

beforeAll(async () => {
  server = await serveDist();
  // Eager: performance.measureUserAgentSpecificMemory() answers at once instead of at the next scheduled GC.
  browser = await launchChromium({ webgpu: true, args: ['--enable-blink-features=ForceEagerMeasureMemory'] });
  page = await browser.newPage();
  consoleLines = captureConsole(page);
  cdp = await page.context().newCDPSession(page);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Sample {
  episode: number;
  pageHeap: number;
  llmWorkerHeap: number;
  sandboxWorkerHeap: number;
  kvTensors: number;
  cachedTokens: number;
}

async function sample(episode: number): Promise<Sample> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  // Cross-origin isolated pages can measure their workers' heaps too (this waits for a garbage collection).
  const breakdown = await page.evaluate(async () => {
    const m = await (performance as unknown as { measureUserAgentSpecificMemory(): Promise<{ breakdown: { bytes: number; attribution: { url: string; scope: string }[] }[] }> }).measureUserAgentSpecificMemory();
    return m.breakdown.flatMap((b) => b.attribution.map((a) => ({ url: a.url, scope: a.scope, bytes: b.bytes })));
  });
  const worker = (name: string) => breakdown.filter((b) => b.scope === 'DedicatedWorkerGlobalScope' && b.url.includes(name)).reduce((s, b) => s + b.bytes, 0);
  const stats = await page.evaluate(() => (globalThis as unknown as BoothHook).agentFlanWeb.engine.stats());
  return { episode, pageHeap: usedSize, llmWorkerHeap: worker('llm.worker'), sandboxWorkerHeap: worker('sandbox.worker'), ...stats };
}

test(`${EPISODES} booth episodes in one page: heap and KV tensors stay flat`, { timeout: 900_000 }, async () => {
  await page.goto(`${server.url}?booth&device=wasm&max_new_tokens=8&max_turns=1&featured=db&idle=3600&replays=0`);
  await page.waitForFunction(() => document.querySelector('[data-testid="engine-status"]')?.getAttribute('data-state') === 'ready', null, { timeout: 120_000 });
  await page.getByTestId('booth-attract').click();
  const samples: Sample[] = [];
  const reasons = new Map<string, number>();
  const started = Date.now();
  const checkpoints = new Set([Math.max(1, Math.round(EPISODES / 10)), Math.round(EPISODES / 2), EPISODES]);
  for (let i = 1; i <= EPISODES; i++) {
    await page.getByTestId('booth-task').first().click();
    const handle = await page.waitForFunction(() => {
      const { booth } = (globalThis as unknown as BoothHook).agentFlanWeb;
      return !booth.running && booth.outcome ? booth.outcome.reason : null;
    }, null, { timeout: 120_000, polling: 50 });
    const reason = (await handle.jsonValue()) as string;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    if (checkpoints.has(i)) samples.push(await sample(i));
  }
  const seconds = (Date.now() - started) / 1000;
  const mb = (n: number) => (n / MB).toFixed(2);
  console.log(`soak: ${EPISODES} episodes in ${seconds.toFixed(0)} s (including ${samples.length} memory measurements); outcomes ${JSON.stringify(Object.fromEntries(reasons))}`);
  console.table(samples.map((s) => ({ episode: s.episode, 'page heap MB': mb(s.pageHeap), 'llm worker heap MB': mb(s.llmWorkerHeap), 'sandbox worker heap MB': mb(s.sandboxWorkerHeap), 'KV tensors': s.kvTensors, 'cached tokens': s.cachedTokens })));

  expect(reasons.get('error') ?? 0, consoleLines.slice(-20).join('\n')).toBe(0);
  const [warm, , end] = samples;
  for (const s of samples) expect(s.kvTensors, 'a key and a value tensor per layer, never more').toBe(2 * numLayers);
  expect(warm.llmWorkerHeap, 'the worker heap was measured').toBeGreaterThan(0);
  expect(end.pageHeap - warm.pageHeap).toBeLessThan(PAGE_HEAP_GROWTH);
  expect(end.llmWorkerHeap - warm.llmWorkerHeap).toBeLessThan(WORKER_HEAP_GROWTH);
});
