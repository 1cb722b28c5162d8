/**
 * In the built app, in headless Chromium: a finished episode's record downloads and, opened again, replays to the
 * same trace and reward; the Evaluate view runs a small suite on the tiny model (wasm) and continues after a reload;
 * a TGI and an OpenAI-compatible server on 127.0.0.1 (the tiny model through onnxruntime-node) drive an episode
 * through the same UI and "test connection" reports the server. The default build's CSP admits no server: these run
 * under the policy the page is really served with, which admits the configured server's origin (from our static
 * server, and from the service worker on a later load) and no other; a server without CORS headers and a dead port
 * get messages of their own; in the chat, injected faults (a stream cut, 500, 429 with Retry-After, a slow first
 * byte) end in messages with the conversation kept, or are waited out.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium';
import { loadModel, openChat, serveDist } from './support/app';
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

async function open(query: string, options: { serviceWorkers?: 'allow' | 'block' } = {}): Promise<Page> {
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

describe('remote engines', () => {
  let model: NodeEngine;
  const servers: Record<'tgi' | 'openai', ModelServer> = {} as never;
  beforeAll(async () => {
    model = new NodeEngine(resolve(import.meta.dirname, '../../public/models/tiny-random-agent-flan'));
    await model.load();
    for (const protocol of ['tgi', 'openai'] as const) servers[protocol] = await startModelServer({ protocol, engine: model });
  });
  afterAll(async () => {
    for (const s of Object.values(servers)) await s.close();
  });

  const testConnection = async (page: Page, endpoint?: string) => {
    if (endpoint) await page.getByTestId('remote-endpoint').fill(endpoint);
    await page.getByTestId('remote-test').click();
    await expect.poll(() => page.getByTestId('remote-test').textContent()).toBe('Test connection');
    return (await page.getByTestId('remote-result').textContent()) ?? '';
  };

  test.each(['tgi', 'openai'] as const)('%s: opened with ?engine=&endpoint=, the page admits the server; it tests the connection and runs an episode through the same UI', async (protocol) => {
    const remote = servers[protocol];
    const page = await open(`?engine=${protocol}&endpoint=${encodeURIComponent(remote.url)}&max_new_tokens=8&temperature=0#models`);
    expect(await testConnection(page)).toMatch(/Connected: tiny-random-agent-flan, context 4096 tokens/);
    await loadModel(page);
    await page.getByTestId('nav-tasks').click();
    await page.locator('[data-testid="task-card"][data-env="tools"]').first().click();
    await page.getByTestId('run-model').click();
    await page.getByTestId('episode-result').waitFor({ timeout: 120_000 });
    expect(remote.log.filter((l) => /generate_stream|completions/.test(l.path)).length).toBeGreaterThan(0);
    // The page admits the server; the sandbox worker, where model-written code runs, still reaches nothing.
    const sandbox = page.workers().find((w) => /sandbox\.worker-[\w-]+\.js$/.test(w.url()));
    expect(sandbox).toBeDefined();
    const requests = remote.log.length;
    expect(await sandbox!.evaluate((url) => fetch(url).then(() => 'reached', (e: Error) => `blocked: ${e.name}`), `${remote.url}/info`)).toBe('blocked: TypeError');
    expect(remote.log.length).toBe(requests);
    await page.context().close();
  });

  test('a server typed in the Models view is admitted once used, from then on also from the saved choice and through the service worker; another origin stays blocked', async () => {
    const tgi = servers.tgi;
    const page = await open('#models');
    // The local page's policy admits no server: testing one says so, and no request leaves.
    const before = tgi.log.length;
    expect(await testConnection(page, tgi.url)).toMatch(/Content-Security-Policy does not admit http:\/\/127\.0\.0\.1:\d+.*Use this server/);
    expect(tgi.log.length).toBe(before);

    const navigation = page.waitForEvent('framenavigated');
    await page.getByTestId('remote-use').click();
    await navigation;
    await page.getByTestId('remote-test').waitFor();
    expect(new URL(page.url()).searchParams.get('endpoint')).toBe(tgi.url);
    expect(await testConnection(page)).toMatch(/Connected: tiny-random-agent-flan/);
    await page.evaluate(() => navigator.serviceWorker.ready);

    // Opened without parameters, the saved choice moves into the address; that load comes from the service worker.
    const admitted = page.waitForResponse((r) => r.request().isNavigationRequest() && r.url().includes('endpoint='));
    await page.goto(`${server.url}#models`);
    const response = await admitted;
    expect(new URL(page.url()).searchParams.get('endpoint')).toBe(tgi.url);
    expect(response.fromServiceWorker()).toBe(true);
    expect(response.headers()['content-security-policy']).toContain(`connect-src ${new URL(tgi.url).origin} 'self'`);
    await page.getByTestId('remote-test').waitFor();
    expect(await testConnection(page)).toMatch(/Connected: tiny-random-agent-flan/);

    // Another server, not the configured one, stays blocked.
    const other = servers.openai;
    await page.getByTestId('remote-kind').selectOption('openai');
    const seen = other.log.length;
    expect(await testConnection(page, other.url)).toMatch(/Content-Security-Policy does not admit/);
    expect(other.log.length).toBe(seen);
    await page.context().close();
  });

  test('the served page admits exactly the configured origin, with COEP credentialless; under a host that ignores the query, the message says so', async () => {
    const page = await open('#models', { serviceWorkers: 'block' });
    const origin = new URL(servers.tgi.url).origin;
    const configured = await page.goto(`${server.url}?engine=tgi&endpoint=${encodeURIComponent(servers.tgi.url)}`);
    const headers = configured!.headers();
    expect(headers['content-security-policy']).toMatch(new RegExp(`connect-src ${origin} 'self'[^;]*;`));
    expect(headers['content-security-policy']).not.toContain(new URL(servers.openai.url).origin);
    expect(headers['cross-origin-embedder-policy']).toBe('credentialless');
    expect(await configured!.text()).toContain(`connect-src ${origin} &#39;self&#39;`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const plain = (await page.goto(`${server.url}?engine=grpc&endpoint=${encodeURIComponent(servers.tgi.url)}`))!.headers();
    expect(plain['content-security-policy']).not.toContain(origin);
    expect(plain['cross-origin-embedder-policy']).toBe('require-corp');

    // A host that sends the build's headers whatever the query (a static host, before the service worker controls the page).
    const staticHost = await serveDist({
      intercept: (req) => {
        req.url = req.url?.replace(/\?.*/, '');
        return false;
      },
    });
    try {
      await page.goto(`${staticHost.url}?engine=tgi&endpoint=${encodeURIComponent(servers.tgi.url)}#models`);
      expect(await testConnection(page)).toMatch(/opened with http:\/\/127\.0\.0\.1:\d+ configured, but the Content-Security-Policy its host sent does not admit it.*VITE_REMOTE_ORIGINS/);
    } finally {
      await staticHost.close();
    }
    await page.context().close();
  });

  test('in the chat, a stream cut mid-reply and a 500 are messages with the conversation kept; a 429 is waited out after its Retry-After, a slow first byte waited for', async () => {
    const faulty = await startModelServer({ protocol: 'openai', engine: model, retryAfter: 1, slowMs: 1500 });
    try {
      const page = await open(`?engine=openai&endpoint=${encodeURIComponent(faulty.url)}&max_new_tokens=12&temperature=0`);
      await loadModel(page);
      await openChat(page);
      const messages = page.getByTestId('message');
      const ask = async (text: string) => {
        await page.getByTestId('prompt-input').fill(text);
        await page.getByTestId('send-button').click();
        await expect.poll(() => page.getByTestId('engine-status').getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
      };
      faulty.faults.push('drop-mid-stream');
      await ask('List the files.');
      expect(await page.getByTestId('chat-error').textContent()).toMatch(/stream ended mid-reply .* The conversation is kept/);
      const users = page.locator('[data-testid="message"][data-role="user"]');
      expect(await users.allTextContents()).toEqual([expect.stringContaining('List the files.')]);

      faulty.faults.push('status-500');
      const before = await messages.count();
      await ask('Again, please.');
      expect(await page.getByTestId('chat-error').textContent()).toMatch(/failed \(HTTP 500: Internal server error\)\. The conversation is kept/);
      expect(await messages.count()).toBe(before + 1);
      expect(await users.count()).toBe(2);

      faulty.faults.push('status-429', 'slow-first-byte');
      await ask('Once more.');
      expect(await page.getByTestId('chat-error').count()).toBe(0);
      expect(await page.locator('[data-testid="message"][data-role="assistant"]:not([data-stopped])').count()).toBe(1);
      // CORS preflights (OPTIONS) are logged with status 0.
      expect(faulty.log.filter((l) => l.path === '/v1/completions' && l.status).map((l) => l.status)).toEqual([200, 500, 429, 200]);
      await page.context().close();
    } finally {
      await faulty.close();
    }
  });

  test('a server without CORS headers and a dead port get messages of their own', async () => {
    const closed = await startModelServer({ protocol: 'tgi', engine: model, cors: false });
    try {
      const page = await open(`?engine=tgi&endpoint=${encodeURIComponent(closed.url)}#models`);
      const cors = await testConnection(page);
      expect(cors).toMatch(/answered, but its reply has no CORS headers for this page.*--cors-allow-origin/);
      expect(closed.log.some((l) => l.path === '/info')).toBe(true);

      const dead = `http://127.0.0.1:${await deadPort()}`;
      await page.goto(`${server.url}?engine=tgi&endpoint=${encodeURIComponent(dead)}#models`);
      const unreachable = await testConnection(page);
      expect(unreachable).toMatch(new RegExp(`^Could not reach ${dead.replace(/[.:/]/g, '\\$&')} .*check that the server runs`));
      expect(unreachable).not.toMatch(/CORS|Content-Security-Policy/);
      await page.context().close();
    } finally {
      await closed.close();
    }
  });
});

async function deadPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}
