/**
 * The sandbox in Chromium, built by Vite the way the app is: the worker is bundled from
 * `new Worker(new URL(...))`, the QuickJS and SQLite wasm files are emitted as assets and found through
 * their `?url` imports, and model-written code still cannot reach browser APIs. With OS_VM_TESTS=1 the page also
 * serves the Linux guest (public/vm/, `npm run build:guest`) and the worker runs an AgentBench dev task's example
 * solution on it in v86 to reward 1; without it, the OS environment says the guest is missing.
 */
import { cpSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { build } from 'vite';
import type { Browser } from 'playwright-core';
import { launchChromium, captureConsole } from '../../scripts/lib/chromium';
import { startStaticServer, type RunningServer } from '../../scripts/lib/static-server';
import { OS_VM_TESTS } from '../support/guest';

const REPO = resolve(import.meta.dirname, '../..');
const OUT = resolve(REPO, '.cache/sandbox-page');

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  await build({
    root: resolve(import.meta.dirname, 'sandbox-page'),
    configFile: resolve(REPO, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: OUT, emptyOutDir: true },
  });
  if (OS_VM_TESTS) cpSync(resolve(REPO, 'public/vm'), resolve(OUT, 'vm'), { recursive: true });
  server = await startStaticServer({ root: OUT });
  browser = await launchChromium({ webgpu: false });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('runs JavaScript, SQL and bash in the bundled sandbox worker, isolated, with the watchdog', { timeout: OS_VM_TESTS ? 900_000 : 120_000 }, async () => {
  const page = await browser.newPage();
  const logs = captureConsole(page);
  await page.goto(server.url);
  const handle = await page.waitForFunction(() => (window as unknown as { __sandboxResult?: unknown }).__sandboxResult, null, { timeout: OS_VM_TESTS ? 840_000 : 60_000 });
  const result = (await handle.jsonValue()) as Record<string, string>;
  expect(result.error, logs.join('\n')).toBeUndefined();
  expect(result.js).toBe('42');
  for (const api of ['fetch', 'XMLHttpRequest', 'indexedDB', 'caches', 'postMessage', 'importScripts', 'document']) {
    const key = Object.keys(result).find((k) => k.includes(api))!;
    expect(result[key], api).toBe(`ReferenceError: '${api}' is not defined`);
  }
  expect(result.sql).toBe('COUNT(*)\n10');
  if (OS_VM_TESTS) {
    expect(result.osError, logs.join('\n')).toBeUndefined();
    expect(result.bash).toBe('8\n');
    expect(result.osReward).toBe('1');
    console.log(`browser: reset + first command of an OS task (guest fetched, gunzipped, restored in the worker): ${result.osFirstCommandMs} ms`);
  } else {
    expect(result.osError).toMatch(/^The Linux guest for the OS tasks is not built: run `npm run build:guest`.*\(manifest\.json: HTTP 404\)$/);
  }
  expect(result.hang).toMatch(/^Timeout: the action ran longer than 0.3 s/);
  expect(result.afterHang).toBe('2');
  expect(result.restarts).toBe('1');
});
