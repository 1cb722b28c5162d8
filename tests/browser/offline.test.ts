/**
 * The static build, its service worker and CSP, and the offline bundle, in real headless Chromium.
 * Needs `npm run build` first (npm test does it); the parts that load a model need the test model from
 * `npm run fixtures` in dist/models/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, captureConsole } from '../../scripts/lib/chromium';
import { DIST, TINY_MODEL, loadModel, send } from './support/app';
import { startStaticServer, type RunningServer } from '../../scripts/lib/static-server';

const REPO = resolve(import.meta.dirname, '../..');
const SHOTS = join(REPO, 'test-results', 'offline');
const HAS_MODEL = existsSync(join(DIST, 'models', TINY_MODEL, 'manifest.json'));
// fp32: these tests are about storage, service worker and CSP (the engine tests cover the dtype choice), and the
// tiny model loads and runs about twice as fast in fp32 as in q4 on SwiftShader.
const QUERY = '?temperature=0&max_new_tokens=8&dtype=fp32';

let browser: Browser;
/** Builds and bundles written during the tests (tens of MB each), removed at the end. */
const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
/** Another origin, reachable from this machine: only CSP stands between the page and it. */
let elsewhere: RunningServer;
const elsewhereHits: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(DIST, 'index.html')) || !existsSync(join(DIST, 'sw.js'))) {
    throw new Error('dist/ has no build with a service worker: run `npm run build` (npm test does it).');
  }
  mkdirSync(SHOTS, { recursive: true });
  const otherRoot = tempDir('afw-elsewhere-');
  writeFileSync(join(otherRoot, 'hello.txt'), 'hello from another origin');
  elsewhere = await startStaticServer({ root: otherRoot, onRequest: (req) => elsewhereHits.push(req.url ?? '') });
  browser = await launchChromium({ webgpu: true });
});
afterAll(async () => {
  await browser?.close();
  await elsewhere?.close();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Records CSP violations reported to the page, from its first script on. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (globalThis as { cspViolations?: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  return () => page.evaluate(() => (globalThis as { cspViolations?: string[] }).cspViolations ?? []);
}

/** The app rendered (the heading is Svelte's, so the app's script ran). */
async function expectApp(page: Page): Promise<void> {
  await expect.poll(() => page.locator('main h1').textContent(), { timeout: 30_000 }).toBe('Agent-FLAN Web');
}

/** Runs a command to completion; rejects with its output when it fails. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((ok, fail) => {
    // NODE_ENV: vitest sets it to 'test', which would make a Vite build a non-production one.
    const child = spawn(command, args, { cwd: REPO, env: { ...process.env, NODE_ENV: 'production', ...env } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => (code === 0 ? ok(output) : fail(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`))));
  });
}

const fetchFrom = (url: string) =>
  fetch(url).then(
    (r) => `fetched ${r.status}`,
    (e: Error) => `blocked: ${e.message}`,
  );

describe('the build under /demo/, its service worker, CSP, and offline', () => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let consoleLines: string[];
  let violations: () => Promise<string[]>;
  let offline = false;
  const offlineHits: string[] = [];
  const wasmHits: string[] = [];

  beforeAll(async () => {
    server = await startStaticServer({
      root: DIST,
      base: '/demo/',
      onRequest: (req) => {
        if (offline) offlineHits.push(req.url ?? '');
        if (/ort-wasm[^/]*\.wasm$/.test(req.url ?? '')) wasmHits.push(req.url ?? '');
      },
    });
    context = await browser.newContext();
    page = await context.newPage();
    consoleLines = captureConsole(page);
    violations = await watchCsp(page);
  });
  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  test('loads under /demo/; the service worker precaches the shell and runtime (no model files) and controls the page', async () => {
    await page.goto(server.url + QUERY);
    await expectApp(page);
    await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, { timeout: 60_000 });
    const sw = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      const cached: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) cached.push(`${name} ${request.url}`);
      }
      return { scope: registration.scope, script: registration.active?.scriptURL, cached };
    });
    expect(sw.scope).toBe(server.url);
    expect(sw.script).toBe(`${server.url}sw.js`);
    const shell = sw.cached.filter((line) => line.startsWith('agent-flan-web-shell-'));
    expect(shell.some((line) => line.endsWith('/demo/index.html'))).toBe(true);
    expect(shell.some((line) => /\/demo\/assets\/ort-wasm-simd-threaded\.asyncify-[\w-]+\.wasm$/.test(line))).toBe(true);
    expect(shell.some((line) => /\/demo\/assets\/ort-wasm-simd-threaded\.asyncify-[\w-]+\.mjs$/.test(line))).toBe(true);
    expect(shell.some((line) => /\/demo\/assets\/llm\.worker-[\w-]+\.js$/.test(line))).toBe(true);
    expect(sw.cached.filter((line) => line.includes('/models/') && !/\/(index|manifest)\.json$/.test(line))).toEqual([]);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  });

  test('CSP: a meta tag allowing only this origin; a fetch to another origin is blocked in the page and in the model worker', async () => {
    // Reload so the page and its worker come from the service worker, which adds the policy as a header too.
    await page.reload();
    await expectApp(page);
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta).toMatch(/connect-src 'self';/);
    expect(meta).toMatch(/script-src 'self' 'wasm-unsafe-eval';/);

    // The service worker serves the cached page with the policy as a header too, frame-ancestors included.
    const served = await page.evaluate(async () => {
      const r = await fetch('index.html');
      return { csp: r.headers.get('Content-Security-Policy'), coep: r.headers.get('Cross-Origin-Embedder-Policy') };
    });
    expect(served.csp).toContain("frame-ancestors 'self'");
    expect(served.csp).toContain("connect-src 'self';");
    expect(served.coep).toBe('require-corp');

    const target = `${elsewhere.url}hello.txt`;
    expect(await fetchFrom(target), 'the other origin answers when asked from Node').toBe('fetched 200');
    const hitsBefore = elsewhereHits.length;
    expect(await page.evaluate(fetchFrom, target)).toMatch(/^blocked/);
    expect(await violations()).toContain(`connect-src ${target}`);

    const worker = page.workers().find((w) => w.url().includes('llm.worker'));
    expect(worker, `workers: ${page.workers().map((w) => w.url())}`).toBeDefined();
    expect(await worker!.evaluate(fetchFrom, target)).toMatch(/^blocked/);
    expect(elsewhereHits.length, 'requests that reached the other origin').toBe(hitsBefore);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  });

  test.runIf(HAS_MODEL)('online: loads the test model (it is stored for later) and chats, with no CSP violation', async () => {
    const before = (await violations()).length;
    const consoleBefore = consoleLines.length;
    await loadModel(page);
    expect((await send(page, 'Hello!')).length).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, '1-online-chat.png'), fullPage: true });
    // The service worker's precache fetched the runtime; the model worker got it from there.
    expect(wasmHits).toHaveLength(1);
    expect((await violations()).slice(before)).toEqual([]);
    // Violations inside the model worker show up only in the console.
    expect(consoleLines.slice(consoleBefore).filter((l) => /Content Security Policy/i.test(l)).join('\n')).toBe('');
  });

  test('offline, server gone: reloading still shows the app, cross-origin isolated, with nothing fetched', async () => {
    offline = true;
    await context.setOffline(true);
    await server.close();
    await page.reload();
    await expectApp(page);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    if (HAS_MODEL) {
      // The model list and manifest were seen online: the service worker answers them from its cache.
      await expect.poll(() => page.getByTestId('model-select').locator('option').allTextContents()).toContain(
        'Tiny random Agent-FLAN (test model)',
      );
    }
    await page.screenshot({ path: join(SHOTS, '2-offline-reload.png'), fullPage: true });
    expect(offlineHits).toEqual([]);
  });

  test.runIf(HAS_MODEL)('offline: the stored model loads and chats', async () => {
    const consoleBefore = consoleLines.length;
    await loadModel(page);
    expect((await send(page, 'Are you offline?')).length).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, '3-offline-chat.png'), fullPage: true });
    expect(offlineHits).toEqual([]);
    expect(consoleLines.slice(consoleBefore).filter((l) => /Content Security Policy/i.test(l)).join('\n')).toBe('');
  });

  test.runIf(HAS_MODEL)('offline: a DB task runs with the model in the sandbox, and its expert replay succeeds', async () => {
    await page.getByTestId('nav-tasks').click();
    await page.locator('[data-testid="task-card"][data-env="db"]').first().click();
    const run = page.getByTestId('run-model');
    await expect.poll(() => run.isEnabled(), { timeout: 60_000 }).toBe(true);
    await run.click();
    const streaming = page.getByTestId('trace-streaming').locator('pre');
    await expect.poll(async () => ((await streaming.textContent().catch(() => '')) ?? '').length, { timeout: 120_000 }).toBeGreaterThan(0);
    await page.getByTestId('stop-episode').click();
    const result = page.getByTestId('episode-result');
    await result.waitFor({ timeout: 60_000 });
    await page.getByTestId('reset-episode').click();
    await page.getByTestId('watch-expert').click();
    await expect.poll(() => result.getAttribute('data-success').catch(() => null), { timeout: 60_000 }).toBe('true');
    expect(offlineHits).toEqual([]);
  });
});

describe.runIf(HAS_MODEL)('the wasm runtime (a browser without WebGPU) under the CSP', () => {
  test('loads and chats with no violation, page and model worker both under the policy', async () => {
    const server = await startStaticServer({ root: DIST, base: '/demo/' });
    const noGpu = await launchChromium({ webgpu: false });
    try {
      const page = await (await noGpu.newContext()).newPage();
      const consoleLines = captureConsole(page);
      const violations = await watchCsp(page);
      await page.goto(server.url + QUERY);
      await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, { timeout: 60_000 });
      await page.reload(); // now the model worker comes from the service worker, with the CSP header
      await loadModel(page);
      expect(await page.locator('details.capability').textContent()).toMatch(/wasm/);
      expect((await send(page, 'Hello!')).length).toBeGreaterThan(0);
      expect(await violations()).toEqual([]);
      expect(consoleLines.filter((l) => /Content Security Policy/i.test(l)).join('\n')).toBe('');
    } finally {
      await noGpu.close();
      await server.close();
    }
  });
});

describe('a static host that sends no COOP/COEP headers', () => {
  test('the page is cross-origin isolated once the service worker serves it', async () => {
    const server = await startStaticServer({
      root: DIST,
      intercept: (_req, res) => {
        res.removeHeader('Cross-Origin-Opener-Policy');
        res.removeHeader('Cross-Origin-Embedder-Policy');
        return false;
      },
    });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(server.url);
      await expectApp(page);
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
      await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, { timeout: 60_000 });
      await page.reload();
      await expectApp(page);
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      const worker = page.workers().find((w) => w.url().includes('llm.worker'));
      expect(await worker!.evaluate(() => crossOriginIsolated)).toBe(true);
    } finally {
      await context.close();
      await server.close();
    }
  });
});

describe('a new build replaces the old one', () => {
  test('the new service worker waits for the old page to close, then takes over and deletes the old cache', async () => {
    const dir = tempDir('afw-update-');
    const buildInto = (modelOrigin: string) =>
      run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn', '--outDir', dir, '--emptyOutDir'], {
        VITE_MODEL_ORIGIN: modelOrigin,
      });
    const shellCaches = (page: Page) => page.evaluate(async () => (await caches.keys()).filter((k) => k.includes('-shell-')));
    await buildInto('models/');
    const server = await startStaticServer({ root: dir });
    const context = await browser.newContext();
    try {
      const first = await context.newPage();
      await first.goto(server.url);
      await first.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, { timeout: 60_000 });
      const before = await shellCaches(first);
      expect(before).toHaveLength(1);

      await buildInto('other-models/'); // another build: other hashed files, another cache version
      await first.reload();
      const waiting = () => first.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state);
      await expect.poll(waiting, { timeout: 60_000 }).toBe('installed');
      // The open page keeps its files: both versions are cached while it lives.
      const during = await shellCaches(first);
      expect(during).toHaveLength(2);
      expect(during).toContain(before[0]);

      await first.close();
      const second = await context.newPage();
      await second.goto(server.url);
      await expect.poll(() => shellCaches(second), { timeout: 30_000 }).toHaveLength(1);
      const after = await shellCaches(second);
      expect(after[0]).not.toBe(before[0]);
      const newScript = /src="\.\/(assets\/index-[\w-]+\.js)"/.exec(readFileSync(join(dir, 'index.html'), 'utf8'))![1];
      await second.reload();
      expect(await second.evaluate(() => document.querySelector('script[type="module"]')!.getAttribute('src'))).toBe(`./${newScript}`);
    } finally {
      await context.close();
      await server.close();
    }
  });
});

describe('a build whose models live on another origin (VITE_MODEL_ORIGIN)', () => {
  let models: RunningServer;
  let app: RunningServer;

  beforeAll(async () => {
    const modelRoot = tempDir('afw-model-host-');
    mkdirSync(join(modelRoot, 'models'));
    writeFileSync(join(modelRoot, 'models', 'index.json'), JSON.stringify({ models: [{ id: 'remote-model', label: 'Model on its own host' }] }));
    models = await startStaticServer({ root: modelRoot });
    const outDir = tempDir('afw-remote-build-');
    await run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], {
      VITE_MODEL_ORIGIN: `${models.url}models/`,
    });
    app = await startStaticServer({ root: outDir });
  });
  afterAll(async () => {
    await app?.close();
    await models?.close();
  });

  test('the CSP allows the model origin and still blocks any other', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations = await watchCsp(page);
    await page.goto(app.url);
    await expectApp(page);
    const modelOrigin = new URL(models.url).origin;
    expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain(`connect-src 'self' ${modelOrigin};`);
    await expect.poll(() => page.getByTestId('model-select').locator('option').allTextContents()).toEqual(['Model on its own host']);
    expect(await page.evaluate(fetchFrom, `${elsewhere.url}hello.txt`)).toMatch(/^blocked/);
    // Reported once per policy that blocks it: the meta tag's and the header's.
    expect([...new Set(await violations())]).toEqual([`connect-src ${elsewhere.url}hello.txt`]);
    await context.close();
  });
});

describe.runIf(HAS_MODEL)('the offline bundle, served by its own launcher, with no other origin reachable', () => {
  let out: string;
  let launcher: ChildProcess;
  let url: string;

  beforeAll(async () => {
    out = join(tempDir('afw-bundle-'), 'agent-flan-offline');
    await run(process.execPath, ['--import', 'tsx', 'scripts/bundle.ts', '--model', join(DIST, 'models', TINY_MODEL), '--out', out, '--dtype', 'fp32']);
    launcher = spawn(process.execPath, [join(out, 'serve.mjs'), '--port', '0'], { cwd: tmpdir() });
    url = await new Promise<string>((ok, fail) => {
      let output = '';
      launcher.stdout!.on('data', (d) => {
        output += d;
        const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(output);
        if (found) ok(found[0]);
      });
      launcher.on('exit', (code) => fail(new Error(`serve.mjs exited ${code}: ${output}`)));
    });
  });
  afterAll(() => {
    launcher?.kill();
  });

  test('holds the app, only the chosen model and dtype, an index, a launcher and a README', () => {
    for (const file of ['index.html', 'sw.js', 'serve.mjs', 'README.txt', `models/${TINY_MODEL}/manifest.json`]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const index = JSON.parse(readFileSync(join(out, 'models', 'index.json'), 'utf8'));
    expect(index.models.map((m: { id: string }) => m.id)).toEqual([TINY_MODEL]);
    const manifest = JSON.parse(readFileSync(join(out, 'models', TINY_MODEL, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.dtypes)).toEqual(['fp32']);
    expect(existsSync(join(out, 'models', TINY_MODEL, 'onnx', 'model.onnx'))).toBe(true);
    expect(existsSync(join(out, 'models', TINY_MODEL, 'onnx', 'model_q4.onnx'))).toBe(false);
    expect(existsSync(join(out, 'models', TINY_MODEL, 'onnx', 'model_q4f16.onnx'))).toBe(false);
  });

  test('loads the model and chats in a browser that can reach nothing else', async () => {
    const context = await browser.newContext();
    const origin = new URL(url).origin;
    const outside: string[] = [];
    await context.route('**/*', (route) => {
      if (new URL(route.request().url()).origin === origin) return route.continue();
      outside.push(route.request().url());
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    const consoleLines = captureConsole(page);
    const violations = await watchCsp(page);
    await page.goto(url + QUERY);
    await expectApp(page);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
    await loadModel(page);
    expect((await send(page, 'Hello from the booth!')).length).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, '4-bundle-chat.png'), fullPage: true });
    expect(outside).toEqual([]);
    expect(await violations()).toEqual([]);
    expect(consoleLines.filter((l) => /Content Security Policy/i.test(l)).join('\n')).toBe('');
    await context.close();
  });
});
