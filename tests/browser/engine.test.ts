/**
 * The app and its WebGPU engine in real headless Chromium: the built app, the real worker, transformers.js
 * and onnxruntime-web running the tiny model our own builder generated.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, captureConsole } from '../../scripts/lib/chromium';
import { FINISHED_REPLY, TINY_MODEL, loadModel, openChat, send, serveDist } from './support/app';
import type { RunningServer } from '../../scripts/lib/static-server';
import type { Engine } from '../../src/lib/engine/types';

type Hook = { agentFlanWeb: { engine: Engine } };
const modelRequests: string[] = [];
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await serveDist({
    onRequest: (req) => {
      if (req.url?.includes(`/models/${TINY_MODEL}/`)) modelRequests.push(req.url);
    },
  });
  browser = await launchChromium({ webgpu: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('WebGPU engine through the UI', () => {
  let page: Page;
  let consoleLines: string[];

  beforeAll(async () => {
    const context = await browser.newContext();
    page = await context.newPage();
    consoleLines = captureConsole(page);
  });

  async function openApp(params: string): Promise<void> {
    await page.goto(`${server.url}?device=webgpu&${params}`);
    await loadModel(page);
  }

  test('loads the tiny q4 model on WebGPU and reports what it chose and why', async () => {
    await openApp('temperature=0&max_new_tokens=24');
    const report = await page.locator('details.capability').textContent();
    expect(report, consoleLines.join('\n')).toMatch(/q4/);
    expect(report).toMatch(/WebGPU/);
    expect(report).toMatch(/swiftshader/i);
    expect(report).toMatch(/shader-f16\s*no/);
    const files = modelRequests.filter((u) => u.includes('/onnx/'));
    expect(files.some((u) => u.endsWith('model_q4.onnx'))).toBe(true);
    expect(files.some((u) => u.includes('q4f16'))).toBe(false);
  });

  test('streams a reply token by token with a tokens/s figure', async () => {
    // SwiftShader decodes a few tokens per second at best: 8 tokens are enough to see streaming.
    await openApp('temperature=0&max_new_tokens=8');
    const seen = new Set<string>();
    const poll = setInterval(() => {
      page.locator('[data-testid="message"][aria-busy="true"]').textContent({ timeout: 50 }).then((t) => t && seen.add(t), () => {});
    }, 20);
    const reply = await send(page, 'Hello! What can you do?');
    clearInterval(poll);
    expect(reply.length).toBeGreaterThan(0);
    expect(seen.size, 'distinct partial texts observed while streaming').toBeGreaterThan(1);
    expect(await page.getByTestId('generation-stats').textContent()).toMatch(/8 tokens · [\d.]+ tok\/s/);
  });

  test('stop interrupts mid-reply, the engine stays usable, and the next turn reuses the KV cache', async () => {
    await openApp('temperature=0&max_new_tokens=400');
    await openChat(page);
    // The chat keeps its conversation across loads of the page: count from what is there.
    const before = await page.locator(FINISHED_REPLY).count();
    await page.getByTestId('prompt-input').fill('Tell me a long story.');
    await page.getByTestId('send-button').click();
    const streaming = page.locator('[data-testid="message"][aria-busy="true"]');
    await expect.poll(async () => ((await streaming.textContent().catch(() => '')) ?? '').length, { timeout: 60_000 }).toBeGreaterThan(3);
    await page.getByTestId('stop-button').click();
    await expect.poll(() => page.locator(FINISHED_REPLY).count(), { timeout: 60_000 }).toBe(before + 1);
    const stats = await page.getByTestId('generation-stats').textContent();
    expect(stats).toMatch(/stopped/);
    const tokens = Number(/(\d+) tokens/.exec(stats ?? '')?.[1]);
    expect(tokens).toBeLessThan(400);
    expect(await page.getByTestId('engine-status').getAttribute('data-state')).toBe('ready');

    await openApp('temperature=0&max_new_tokens=4');
    await send(page, 'First question.');
    await send(page, 'Second question.');
    const reuse = /(\d+)\/(\d+) prompt tokens from cache/.exec((await page.getByTestId('generation-stats').textContent()) ?? '');
    expect(Number(reuse?.[1])).toBeGreaterThan(0);
  });

  test('a request beyond the context is refused with the token counts, and nothing is lost', async () => {
    await openApp('temperature=0&max_new_tokens=4');
    const error = await page.evaluate(async () => {
      const { engine } = (globalThis as unknown as Hook).agentFlanWeb;
      try {
        await engine.generate({ prompt: 'word '.repeat(5000), maxNewTokens: 16 });
        return null;
      } catch (e) {
        return { message: (e as Error).message, code: (e as { code?: string }).code };
      }
    });
    expect(error?.code).toBe('context-overflow');
    expect(error?.message).toMatch(/\d+ tokens.*context of 4096/);
    expect(await send(page, 'Still there?')).not.toBe('');
  });
});
