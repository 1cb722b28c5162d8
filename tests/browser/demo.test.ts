/**
 * The demo as a visitor meets it, in the built app on headless Chromium (SwiftShader, a software WebGPU adapter):
 * the engine picks wasm there and says why; Stop reaches the decode loop within one step and keeps the partial
 * text; chat leaves out the oldest exchanges at the context limit; a first visit works offline with no second
 * online reload; axe-core finds no serious or critical violation on any view; and screenshots of every view at
 * desktop and phone sizes, light and dark, go to test-results/screenshots/ for review.
 */
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, captureConsole } from '../../scripts/lib/chromium';
import { DIST, FINISHED_REPLY, loadModel, openChat, send, serveDist, GUEST_IN_BUILD } from './support/app';
import { startStaticServer, type RunningServer } from '../../scripts/lib/static-server';
import type { GenerateResult } from '../../src/lib/engine/types';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
type Hook = { agentFlanWeb: { engine: { generate(r: unknown, t: (e: { tokens: number }) => void): Promise<GenerateResult>; interrupt(): Promise<void>; tokensAtInterrupt: number | null } } };

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await serveDist();
  browser = await launchChromium({ webgpu: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the engine on a software adapter, Stop, and the context limit', () => {
  let page: Page;
  let consoleLines: string[];
  beforeAll(async () => {
    page = await (await browser.newContext()).newPage();
    consoleLines = captureConsole(page);
  });

  test('SwiftShader WebGPU is a software adapter: the model runs on wasm, and the page says why and how to force WebGPU', async () => {
    await page.goto(`${server.url}?temperature=0&max_new_tokens=1024#chat`);
    await loadModel(page);
    expect(await page.locator('details.capability summary').textContent(), consoleLines.join('\n')).toMatch(/CPU \(wasm\)/);
    expect(await page.getByTestId('device-notice').textContent()).toMatch(/software one.*\?device=webgpu/);
    expect(await page.getByTestId('test-model-notice').textContent()).toMatch(/noise by design/);
  });

  test('Stop on wasm ends a generation within one decode step of the flag, with the partial text', async () => {
    const outcome = await page.evaluate(async () => {
      const { engine } = (globalThis as unknown as Hook).agentFlanWeb;
      let asked = false;
      const result = await engine.generate({ prompt: '<|Human|>\u0D46Tell me a long story.\n <|Assistant|>\u0D46', maxNewTokens: 1024, temperature: 0 }, (e) => {
        if (e.tokens >= 5 && !asked) {
          asked = true;
          void engine.interrupt();
        }
      });
      return { tokens: result.tokens, stopReason: result.stopReason, text: result.text, atInterrupt: engine.tokensAtInterrupt };
    });
    expect(outcome.stopReason).toBe('interrupted');
    expect(outcome.atInterrupt).not.toBeNull();
    console.log(`stop latency: ${outcome.tokens - outcome.atInterrupt!} decode step(s) after the flag (${outcome.atInterrupt} tokens when raised)`);
    expect(outcome.tokens - outcome.atInterrupt!).toBeLessThanOrEqual(1);
    expect(outcome.text.length).toBeGreaterThan(0);
  });

  test('Stop in the chat keeps the partial reply, marked stopped', async () => {
    await openChat(page);
    const before = await page.locator(FINISHED_REPLY).count();
    await page.getByTestId('prompt-input').fill('Tell me a long story.');
    await page.getByTestId('send-button').click();
    const streaming = page.locator('[data-testid="message"][aria-busy="true"]');
    await expect.poll(async () => ((await streaming.textContent().catch(() => '')) ?? '').length, { timeout: 60_000 }).toBeGreaterThan(3);
    await page.getByTestId('stop-button').click();
    await expect.poll(() => page.locator(FINISHED_REPLY).count(), { timeout: 30_000 }).toBe(before + 1);
    const reply = page.locator(FINISHED_REPLY).last();
    expect(await reply.getAttribute('data-stopped')).toBe('true');
    expect(((await reply.textContent()) ?? '').trim().length).toBeGreaterThan(0);
    const tokens = Number(/(\d+) tokens/.exec((await page.getByTestId('generation-stats').textContent()) ?? '')?.[1]);
    expect(tokens).toBeLessThan(1024);
  });

  test('a conversation beyond the context leaves out its oldest exchanges, says so, and the reply comes', async () => {
    // Four long exchanges (~1,200 tokens each) kept from an earlier visit: more than the 4,096-token context.
    await page.evaluate(() => {
      const messages = [];
      for (let i = 0; i < 4; i++) messages.push({ role: 'user', content: `Question ${i}` }, { role: 'assistant', content: `word${i} `.repeat(1200) });
      localStorage.setItem('agent-flan-web:chat', JSON.stringify(messages));
    });
    await page.goto(`${server.url}?temperature=0&max_new_tokens=8#chat`);
    await loadModel(page);
    expect(await page.locator(FINISHED_REPLY).count(), 'the conversation was kept across the reload').toBe(4);
    await send(page, 'And now?');
    expect(await page.getByTestId('chat-error').count(), consoleLines.join('\n')).toBe(0);
    const context = (await page.getByTestId('chat-context').textContent()) ?? '';
    expect(context).toMatch(/Context \d+ of 4096 tokens/);
    expect(Number(/Context (\d+)/.exec(context)?.[1])).toBeLessThanOrEqual(4096);
    expect(context).toMatch(/[1-9]\d* earlier exchanges? left out/);
    await page.getByTestId('clear-chat').click();
    await page.getByTestId('chat-empty').waitFor();
  });
});

describe('offline after a first visit', () => {
  test('one online visit that loads the model, then offline: the list and the stored model load, with no second online reload', async () => {
    const requests: string[] = [];
    let offline = false;
    const site = await startStaticServer({ root: DIST, onRequest: (r) => offline && requests.push(r.url ?? '') });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const lines = captureConsole(page);
      await page.goto(`${site.url}?max_new_tokens=4`);
      await loadModel(page);
      await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, { timeout: 60_000 });
      // The page keeps the model list once the model is stored (model-meta-cache.ts): wait for that write.
      await expect
        .poll(() => page.evaluate(async () => (await caches.open('agent-flan-web-model-meta')).keys().then((k) => k.map((r) => new URL(r.url).pathname))))
        .toContain('/models/index.json');
      offline = true;
      await context.setOffline(true);
      await site.close();
      await page.reload();
      await expect.poll(() => page.getByTestId('model-select').locator('option').count(), { timeout: 30_000 }).toBeGreaterThan(0);
      expect(await page.getByTestId('engine-error').count(), lines.join('\n')).toBe(0);
      await loadModel(page);
      expect(await page.getByTestId('loaded-model').textContent()).toMatch(/test model/);
      expect(requests).toEqual([]);
    } finally {
      await context.close();
      await site.close().catch(() => {});
    }
  });
});

/** Serious and critical axe-core violations on the page as it is now. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(o?: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const { violations } = await axe.run();
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
}

describe('every view: axe-core, and screenshots at desktop and phone sizes, light and dark', () => {
  const SIZES = [
    { name: 'desktop', width: 1366, height: 800 },
    { name: 'phone', width: 390, height: 844 },
  ];
  for (const scheme of ['light', 'dark'] as const) {
    test(`${scheme}`, { timeout: 300_000 }, async () => {
      const context = await browser.newContext({ colorScheme: scheme, viewport: SIZES[0], bypassCSP: true });
      const page = await context.newPage();
      const found: string[] = [];
      const visit = async (view: string, prepare?: () => Promise<void>) => {
        await prepare?.();
        found.push(...(await axeViolations(page)).map((v) => `${view}: ${v}`));
        for (const size of SIZES) {
          await page.setViewportSize(size);
          await page.screenshot({ path: resolve(SHOTS, `${view}-${size.name}-${scheme}.png`), fullPage: size.name === 'phone' });
        }
        await page.setViewportSize(SIZES[0]);
      };
      try {
        await page.goto(`${server.url}?replay_cps=0&max_new_tokens=16#tasks`);
        await visit('tasks', () => page.getByTestId('task-card').first().waitFor());
        await page.getByTestId('task-filter').fill('capital');
        const titles = await page.getByTestId('task-card').allTextContents();
        expect(titles.length).toBeGreaterThan(0);
        expect(titles.every((t) => /capital/i.test(t)), titles.join(' | ')).toBe(true);
        expect(titles.every((t) => !/^\s*[a-z]/.test(t)), 'titles in sentence case').toBe(true);
        await page.getByTestId('task-filter').fill('');
        await visit('task-expert', async () => {
          await page.locator('[data-testid="task-card"][data-env="db"]').first().click();
          await page.getByTestId('watch-expert').click();
          await page.getByTestId('episode-result').waitFor({ timeout: 60_000 });
          expect(await page.getByTestId('copy-code').count(), 'code in the trace has copy buttons').toBeGreaterThan(0);
        });
        if (GUEST_IN_BUILD) {
          await visit('task-os-terminal', async () => {
            await page.getByTestId('back-to-tasks').click();
            await page.locator('[data-testid="task-card"][data-env="os"]').first().click();
            await page.getByTestId('watch-expert').click();
            await page.getByTestId('episode-result').waitFor({ timeout: 120_000 });
            await page.locator('[data-testid="env-terminal"][data-ready="true"]').waitFor({ timeout: 30_000 });
          });
        }
        await visit('free', async () => {
          await page.getByTestId('nav-free').click();
          await page.waitForTimeout(200);
        });
        await visit('chat-empty', async () => {
          await page.getByTestId('nav-chat').click();
          await page.getByTestId('chat-empty').waitFor();
        });
        await visit('chat', async () => {
          await loadModel(page);
          await send(page, 'Show me a **bold** word and `code`.');
        });
        await visit('models', async () => {
          await page.getByTestId('nav-models').click();
          await page.getByTestId('model-entry').first().waitFor({ timeout: 30_000 });
        });
        await visit('evaluate', async () => {
          await page.getByTestId('nav-evaluate').click();
          await page.getByTestId('evaluate-view').waitFor();
        });
        await visit('settings', async () => {
          await page.locator('[data-testid="settings"] summary').click();
          await page.getByTestId('settings-save').waitFor();
        });
        await page.goto(`${server.url}?booth&replay_cps=0&featured=db,household&max_turns=4`);
        await visit('booth-attract', () => page.getByTestId('booth-attract').waitFor());
        await visit('booth-visit', async () => {
          await expect.poll(() => page.getByTestId('engine-status').getAttribute('data-state'), { timeout: 120_000 }).toBe('ready');
          await page.getByTestId('booth-attract').click();
          await page.getByTestId('booth-task').first().click();
          await page.getByTestId('episode-result').waitFor({ timeout: 60_000 });
        });
      } finally {
        await context.close();
      }
      expect(found).toEqual([]);
    });
  }
});
