/**
 * A page in headless Chromium with the model store's worker (tests/browser/support/opfs-store-worker.ts),
 * served by Vite in middleware mode, and model files served with Range support from the same origin.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../../scripts/lib/chromium.ts';
import { createServer as createViteServer } from 'vite';
import { rangeFiles, type RangeFiles } from '../../unit/support/range-server';
import type { WorkerRequest } from './opfs-store-worker';

export const STORE_WORKER = '/tests/browser/support/opfs-store-worker.ts';

export interface StoreHarness {
  origin: string;
  models: RangeFiles;
  page: Page;
  /** Sends one request to the page's store worker (started on first use, and again after a reload). */
  inWorker<T>(request: WorkerRequest): Promise<T>;
  close(): Promise<void>;
}

export async function startStoreHarness(files: Record<string, Uint8Array>): Promise<StoreHarness> {
  const models = rangeFiles(files);
  const vite = await createViteServer({
    configFile: false,
    root: fileURLToPath(new URL('../../..', import.meta.url)),
    logLevel: 'silent',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false },
  });
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/models/')) return models.handle(req, res);
    if (req.url === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>store</title>');
    vite.middlewares(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium({ webgpu: false });
  const page = await (await browser.newContext()).newPage();
  await page.goto(origin);

  return {
    origin,
    models,
    page,
    async inWorker<T>(request: WorkerRequest): Promise<T> {
      const reply = await page.evaluate(
        ({ url, request }) => {
          const scope = window as unknown as { storeWorker?: Worker };
          const worker = (scope.storeWorker ??= new Worker(url, { type: 'module' }));
          return new Promise<{ ok: boolean; value?: unknown; error?: { name: string; message: string } }>((resolve) => {
            worker.onmessage = (event) => resolve(event.data);
            worker.onerror = (event) => resolve({ ok: false, error: { name: 'WorkerError', message: event.message } });
            worker.postMessage(request);
          });
        },
        { url: STORE_WORKER, request },
      );
      if (!reply.ok) throw Object.assign(new Error(reply.error?.message), { name: reply.error?.name });
      return reply.value as T;
    },
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await vite.close();
    },
  };
}
