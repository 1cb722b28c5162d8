/**
 * In the built app, in headless Chromium: a finished episode's record downloads and, opened again, replays to the
 * same trace and reward; the Evaluate view runs a small suite on the tiny model (wasm) and continues after a reload;
 * a TGI and an OpenAI-compatible server on 127.0.0.1 (the tiny model through onnxruntime-node) drive an episode
 * through the same UI, "test connection" reports the server, and a server without CORS headers is named as such.
 * The servers' origins are not in the default build's CSP (VITE_REMOTE_ORIGINS is unset), so the remote tests run in
 * a context with the CSP bypassed; the unit tests check the policy itself.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium';
import { loadModel, serveDist } from './support/app';
import type { RunningServer } from '../../scripts/lib/static-server';
import { NodeEngine } from '../../scripts/lib/node-engine';
import { startModelServer, type ModelServer } from '../support/model-servers';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await serveDist();
  browser = await launchChromium({ webgpu: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(query: string, options: { bypassCSP?: boolean } = {}): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, ...options })).newPage();
  await page.goto(`${server.url}${query}`);
  return page;
}

const stepsOf = (page: Page) =>
  page.locator('[data-testid="trace-step"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-kind')}:${e.getAttribute('data-turn')}:${e.textContent?.trim()}`));

describe('episode records in the app', () => {
  test('a downloaded record opens and replays to the same trace and reward', async () => {
    const page = await open('?replay_cps=0#tasks');
    await page.locator('[data-testid="task-card"][data-env="db"]').first().click();
    await page.getByTestId('watch-expert').click();
    await page.getByTestId('episode-result').waitFor();
    const before = await stepsOf(page);
    const reward = await page.getByTestId('episode-result').getAttribute('data-reward');
    const download = page.waitForEvent('download');
    await page.getByTestId('download-record').click();
    const file = await (await download).path();
    expect(readFileSync(file, 'utf8').split('\n')[0]).toMatch(/^\{"type":"start"/);

    await page.getByTestId('back-to-tasks').click();
    await page.getByTestId('open-record').setInputFiles(file);
    await page.getByTestId('episode-result').waitFor();
    expect(await stepsOf(page)).toEqual(before);
    expect(await page.getByTestId('episode-result').getAttribute('data-reward')).toBe(reward);

    await page.getByTestId('back-to-tasks').click();
    await page.getByTestId('open-record').setInputFiles({ name: 'notes.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from('hello\n') });
    await expect.poll(() => page.getByTestId('record-problem').textContent()).toMatch(/notes\.jsonl could not be opened as an episode record: line 1 is not JSON/);
    await page.context().close();
  });
});

describe('Evaluate view', () => {
  test('runs a small suite on the tiny model, fills the table, and continues after a reload', async () => {
    const page = await open('?device=wasm#evaluate');
    await loadModel(page);
    await page.getByTestId('eval-suite').selectOption('agent-h');
    await page.getByTestId('eval-limit').fill('3');
    await page.getByTestId('eval-max-new-tokens').fill('4');
    await page.getByTestId('eval-start').click();
    await expect.poll(() => page.getByTestId('eval-progress').getAttribute('data-done'), { timeout: 120_000 }).not.toBe('0');
    await page.reload();
    await loadModel(page);
    await expect.poll(() => page.getByTestId('eval-progress').getAttribute('data-done'), { timeout: 180_000 }).toBe('3');
    expect(await page.getByTestId('eval-progress').textContent()).toMatch(/from before the reload/);
    const row = page.locator('[data-testid="eval-table"] tr[data-row="agent-h"]');
    expect(await row.textContent()).toContain('3/3');
    expect(await row.textContent()).toContain('89.1');
    const download = page.waitForEvent('download');
    await page.getByTestId('eval-export-csv').click();
    expect(readFileSync(await (await download).path(), 'utf8')).toMatch(/^group,row,label/);
    await page.context().close();
  });
});

describe.each(['tgi', 'openai'] as const)('remote engine: %s', (protocol) => {
  let model: NodeEngine;
  let remote: ModelServer;
  beforeAll(async () => {
    model = new NodeEngine(resolve(import.meta.dirname, '../../public/models/tiny-random-agent-flan'));
    await model.load();
    remote = await startModelServer({ protocol, engine: model });
  });
  afterAll(() => remote?.close());

  test('tests the connection, loads, and runs an episode through the same UI', async () => {
    const page = await open(`?engine=${protocol}&endpoint=${encodeURIComponent(remote.url)}&max_new_tokens=8&temperature=0#models`, { bypassCSP: true });
    await page.getByTestId('remote-test').click();
    await expect.poll(() => page.getByTestId('remote-result').textContent()).toMatch(/Connected: tiny-random-agent-flan, context 4096 tokens/);
    await loadModel(page);
    await page.getByTestId('nav-tasks').click();
    await page.locator('[data-testid="task-card"][data-env="tools"]').first().click();
    await page.getByTestId('run-model').click();
    await page.getByTestId('episode-result').waitFor({ timeout: 120_000 });
    expect(remote.log.filter((l) => /generate_stream|completions/.test(l.path)).length).toBeGreaterThan(0);
    await page.context().close();
  });

  test('a server that sends no CORS headers gets a message that names CORS (an isolated page cannot tell it from a dead host)', async () => {
    const closed = await startModelServer({ protocol, engine: model, cors: false });
    try {
      const page = await open(`?engine=${protocol}&endpoint=${encodeURIComponent(closed.url)}#models`, { bypassCSP: true });
      await page.getByTestId('remote-test').click();
      await expect.poll(() => page.getByTestId('remote-result').textContent()).toMatch(/or the browser refused its reply.*allows this page's origin .* with CORS headers/);
      await page.context().close();
    } finally {
      await closed.close();
    }
  });
});
