/**
 * Booth mode in headless Chromium against the built app: attract screen, tap to start, an episode, the idle
 * countdown and reset (model kept), the hidden settings, and recovery from a crashed or hung model worker.
 * The model runs on wasm here: SwiftShader's WebGPU is too slow on this machine for episodes.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { captureConsole, launchChromium } from '../../scripts/lib/chromium';
import { GUEST_IN_BUILD, TINY_MODEL, serveDist } from './support/app';
import { screenshot } from './support/screenshots';
import type { RunningServer } from '../../scripts/lib/static-server';

type Hook = {
  agentFlanWeb: {
    engine: { countTokens(t: string): Promise<number>; stats(): Promise<{ cachedTokens: number; kvTensors: number }> };
    booth: { recoveries: number; state: string };
  };
};

const modelFileRequests: string[] = [];
let server: RunningServer;
let browser: Browser;
let page: Page;
let consoleLines: string[];

beforeAll(async () => {
  server = await serveDist({
    onRequest: (req) => {
      if (req.url?.includes(`/models/${TINY_MODEL}/onnx/`)) modelFileRequests.push(req.url);
    },
  });
  browser = await launchChromium({ webgpu: true });
  page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  consoleLines = captureConsole(page);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const status = () => page.getByTestId('engine-status').getAttribute('data-state');
const boothState = () => page.getByTestId('booth').getAttribute('data-state');

describe('booth mode', () => {
  test('shows the attract screen, loads the model, and cycles through featured tasks (OS only with the Linux guest)', async () => {
    await page.goto(`${server.url}?booth&device=wasm&temperature=0&max_new_tokens=64&max_turns=2&idle=5&warn=3&rotate=2&featured=os,household,kg,shop`);
    await page.getByTestId('booth-attract').waitFor();
    await expect.poll(status, { timeout: 120_000 }).toBe('ready');
    const envs = new Set<string>();
    await expect
      .poll(async () => {
        envs.add((await page.getByTestId('booth-featured').getAttribute('data-env')) ?? '');
        return envs.size;
      }, { timeout: 15_000, interval: 300 })
      .toBe(GUEST_IN_BUILD ? 4 : 3);
    expect(envs.has('os')).toBe(GUEST_IN_BUILD);
    const fontPx = await page.locator('[data-testid="booth-featured"] .goal').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    expect(fontPx, 'goal text size in CSS px at 1920 wide').toBeGreaterThanOrEqual(48);
    expect(await page.getByTestId('booth-attract').textContent()).toMatch(/expert replays/i);
    await screenshot(page, 'booth-attract');
  });

  test('a tap starts a visit in full screen; an episode runs and shows its trace and result', async () => {
    await page.getByTestId('booth-attract').click();
    await expect.poll(boothState).toBe('active');
    expect(await page.evaluate(() => document.fullscreenElement !== null)).toBe(true);
    await page.getByTestId('booth-task').first().click();
    await page.getByTestId('episode-result').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('trace-step').count(), consoleLines.join('\n')).toBeGreaterThan(0);
    expect(await page.getByTestId('episode-result').getAttribute('data-reward')).toMatch(/^[\d.]+$/);
    // Only the random test model is loaded: the visit replays the expert's solution, says so, and solves the task.
    expect(await page.getByTestId('booth-replay-badge').textContent()).toBe('Expert replay');
    expect(await page.getByTestId('episode-result').getAttribute('data-success')).toBe('true');
    expect(await page.getByTestId('episode-mode').textContent()).toBe('lenient mode');
    await screenshot(page, 'booth-visit');
  });

  test('idle time brings a visible countdown, then the attract screen, with the model still loaded', async () => {
    const requestsBefore = modelFileRequests.length;
    await page.getByTestId('booth-warning').waitFor({ timeout: 15_000 });
    const first = Number(await page.getByTestId('booth-countdown').textContent());
    expect(first).toBeGreaterThan(0);
    await screenshot(page, 'booth-warning');
    await expect.poll(async () => Number(await page.getByTestId('booth-countdown').textContent().catch(() => '0'))).toBeLessThan(first);
    await page.getByTestId('booth-attract').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('trace-step').count(), 'conversation cleared').toBe(0);
    expect(await status()).toBe('ready');
    const stats = await page.evaluate(async () => {
      const { engine } = (globalThis as unknown as Hook).agentFlanWeb;
      return { tokens: await engine.countTokens('still loaded?'), ...(await engine.stats()) };
    });
    expect(stats.tokens, 'the model answers without a reload').toBeGreaterThan(0);
    expect(stats.kvTensors, 'KV cache dropped with the conversation').toBe(0);
    expect(modelFileRequests.length, 'no model file fetched again').toBe(requestsBefore);
  });

  test('a tap during the warning keeps the visit going', async () => {
    await page.getByTestId('booth-attract').click();
    await page.getByTestId('booth-warning').waitFor({ timeout: 15_000 });
    await page.getByTestId('booth-warning').click();
    await expect.poll(boothState).toBe('active');
  });

  test('settings open only after a long press on the title, and changes apply', async () => {
    const title = page.getByTestId('booth-title');
    await page.getByTestId('booth-attract').waitFor({ timeout: 15_000 });
    const box = (await title.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + 10);
    await page.mouse.down();
    await page.waitForTimeout(1_800);
    await page.mouse.up();
    await page.getByTestId('booth-settings').waitFor();
    expect(await boothState(), 'the long press opened settings without starting a visit').toBe('attract');
    await screenshot(page, 'booth-settings');
    await page.getByTestId('booth-idle-input').fill('600');
    await page.getByTestId('booth-settings-save').click();
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('agent-flan-web:booth') ?? '{}').idleSeconds)).toBe(600);
    await title.click();
    expect(await page.getByTestId('booth-settings').count(), 'a short tap opens no settings').toBe(0);
  });

  test('a crashed model worker is replaced, the model reloaded and the attract screen shown', async () => {
    // Leave the visit on a short idle time again so the booth is back on attract.
    await page.goto(`${server.url}?booth&device=wasm&max_new_tokens=64&max_turns=1&featured=household&replays=0`);
    await expect.poll(status, { timeout: 120_000 }).toBe('ready');
    await page.getByTestId('booth-attract').click();
    await expect.poll(boothState).toBe('active');
    const worker = page.workers().find((w) => w.url().includes('llm'));
    expect(worker, `model worker among ${page.workers().map((w) => w.url()).join(', ')}`).toBeDefined();
    await worker!.evaluate(() => {
      setTimeout(() => {
        throw new Error('simulated worker crash');
      });
    });
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as Hook).agentFlanWeb.booth.recoveries), { timeout: 120_000 }).toBe(1);
    await page.getByTestId('booth-attract').waitFor();
    expect(await status()).toBe('ready');
    expect(page.workers().includes(worker!), 'the crashed worker is gone').toBe(false);
    await page.getByTestId('booth-attract').click();
    await page.getByTestId('booth-task').first().click();
    await page.getByTestId('episode-result').waitFor({ timeout: 120_000 });
  });
});

describe('booth recovery from a hung worker', () => {
  test('a model worker that hangs mid-episode is stopped by the watchdog; the booth reloads the model and returns to attract', async () => {
    const hungPage = await (await browser.newContext()).newPage();
    const lines = captureConsole(hungPage);
    // A short silence limit and fault injection: test-only URL parameters.
    await hungPage.goto(`${server.url}?booth&device=wasm&max_new_tokens=64&max_turns=1&featured=household&watchdog=5&test_faults&replays=0`);
    const hungStatus = () => hungPage.getByTestId('engine-status').getAttribute('data-state');
    const recoveries = () => hungPage.evaluate(() => (globalThis as unknown as Hook).agentFlanWeb.booth.recoveries);
    await expect.poll(hungStatus, { timeout: 120_000 }).toBe('ready');
    const hung = hungPage.workers().find((w) => w.url().includes('llm'))!;
    await hungPage.evaluate(() => (globalThis as unknown as { agentFlanWeb: { engine: { injectFault(kind: string): Promise<void> } } }).agentFlanWeb.engine.injectFault('spin'));
    await hungPage.getByTestId('booth-attract').click();
    await hungPage.getByTestId('booth-task').first().click();
    await expect.poll(recoveries, { timeout: 120_000 }).toBe(1);
    await hungPage.getByTestId('booth-attract').waitFor();
    expect(await hungStatus(), lines.join('\n')).toBe('ready');
    await expect.poll(() => hungPage.workers().includes(hung), { message: 'the hung worker is gone', timeout: 10_000 }).toBe(false);
    expect(await hungPage.evaluate(() => (globalThis as unknown as { agentFlanWeb: { booth: { lastFatal: string | null } } }).agentFlanWeb.booth.lastFatal)).toMatch(/stopped responding/);
    await hungPage.getByTestId('booth-attract').click();
    await hungPage.getByTestId('booth-task').first().click();
    await hungPage.getByTestId('episode-result').waitFor({ timeout: 120_000 });
  });
});

describe('booth recovery on WebGPU', () => {
  test('a lost GPU device is noticed while idle: the booth reloads the model and returns to attract', async () => {
    const gpuPage = await (await browser.newContext()).newPage();
    const lines = captureConsole(gpuPage);
    // Keep every GPUDevice the model worker creates, so the test can destroy the model's device.
    const patched = new Promise<void>((resolve, reject) => {
      gpuPage.on('worker', (worker) => {
        if (!worker.url().includes('llm')) return;
        worker
          .evaluate(() => {
            const g = globalThis as unknown as { __devices: GPUDevice[] };
            g.__devices = [];
            const request = GPUAdapter.prototype.requestDevice;
            GPUAdapter.prototype.requestDevice = async function (this: GPUAdapter, ...args: Parameters<GPUAdapter['requestDevice']>) {
              const device = await request.apply(this, args);
              g.__devices.push(device);
              return device;
            };
          })
          .then(resolve, reject);
      });
    });
    await gpuPage.goto(`${server.url}?booth&device=webgpu&max_new_tokens=64&max_turns=1&featured=household`);
    await patched;
    const gpuStatus = () => gpuPage.getByTestId('engine-status').getAttribute('data-state');
    await expect.poll(gpuStatus, { timeout: 180_000 }).toBe('ready');
    const worker = gpuPage.workers().find((w) => w.url().includes('llm'))!;
    const destroyed = await worker.evaluate(() => {
      const devices = (globalThis as unknown as { __devices: GPUDevice[] }).__devices;
      for (const device of devices) device.destroy();
      return devices.length;
    });
    expect(destroyed, 'the model ran on a device the test could reach').toBeGreaterThan(0);
    await expect
      .poll(() => gpuPage.evaluate(() => (globalThis as unknown as Hook).agentFlanWeb.booth.recoveries), { timeout: 180_000 })
      .toBe(1);
    await gpuPage.getByTestId('booth-attract').waitFor();
    expect(await gpuStatus(), lines.join('\n')).toBe('ready');
    const device = await gpuPage.evaluate(() => (globalThis as unknown as { agentFlanWeb: { session: { report: { device: string } | null } } }).agentFlanWeb.session.report?.device);
    expect(device).toBe('webgpu');
    await screenshot(gpuPage, 'booth-recovered');
  });
});
