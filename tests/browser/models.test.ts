/**
 * The model manager in headless Chromium against the built app: the catalog judged against the real
 * (SwiftShader) adapter, a model this device can't run, a model that can't fit the browser's real storage
 * quota, download without loading, and the storage view (list, delete, download again).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { captureConsole, launchChromium } from '../../scripts/lib/chromium';
import { DIST, TINY_MODEL, loadModel, serveDist } from './support/app';
import { screenshot } from './support/screenshots';
import type { RunningServer } from '../../scripts/lib/static-server';
import type { ModelManifest } from '../../src/lib/models/manifest';

const TB = 1000 ** 4;
const tiny = JSON.parse(readFileSync(resolve(DIST, 'models', TINY_MODEL, 'manifest.json'), 'utf8')) as ModelManifest;
const index = JSON.parse(readFileSync(resolve(DIST, 'models', 'index.json'), 'utf8')) as { models: { id: string; label: string }[] };

/** Like the tiny model, but its q4 weights declare 50 TB: more than any browser grants one site. */
const hugeManifest: ModelManifest = {
  ...tiny,
  id: 'huge-model',
  label: 'Huge model',
  dtypes: {
    q4: { ...tiny.dtypes.q4!, files: [{ path: 'onnx/model_q4.onnx_data', bytes: 50 * TB, sha256: '0'.repeat(64) }], bytes: 50 * TB },
  },
};
/** A single 64 GiB tensor: beyond any adapter's buffer limits. */
const giantManifest: ModelManifest = {
  ...tiny,
  id: 'giant-tensor-model',
  label: 'Giant tensor model',
  dtypes: { q4: { ...tiny.dtypes.q4!, maxTensorBytes: 64 * 1024 ** 3 } },
};

const requests: string[] = [];
let server: RunningServer;
let browser: Browser;
let page: Page;
let consoleLines: string[];

beforeAll(async () => {
  server = await serveDist({
    onRequest: (req) => requests.push(req.url ?? ''),
    intercept: (req, res) => {
      const json = (value: unknown) => (res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(value)), true);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/models/index.json') {
        return json({ models: [...index.models, { id: hugeManifest.id, label: hugeManifest.label }, { id: giantManifest.id, label: giantManifest.label }] });
      }
      if (path === `/models/${hugeManifest.id}/manifest.json`) return json(hugeManifest);
      if (path === `/models/${giantManifest.id}/manifest.json`) return json(giantManifest);
      return false;
    },
  });
  browser = await launchChromium({ webgpu: true });
  page = await (await browser.newContext({ viewport: { width: 1280, height: 1600 } })).newPage();
  consoleLines = captureConsole(page);
  await page.goto(`${server.url}#models`);
  await page.locator('[data-testid="model-entry"]').nth(2).waitFor({ timeout: 30_000 });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const entry = (id: string) => page.locator(`[data-testid="model-entry"][data-model="${id}"]`);
const storedRow = (id: string) => page.locator(`[data-testid="stored-model"][data-model="${id}"]`);
const onnxRequests = () => requests.filter((u) => u.includes(`/models/${TINY_MODEL}/onnx/`)).length;

describe('model manager', () => {
  test("lists each model's needs and judges them against this adapter with the engine's rule", async () => {
    const text = await entry(TINY_MODEL).textContent();
    expect(text).toContain('context 4096 tokens');
    for (const dtype of Object.keys(tiny.dtypes)) expect(text).toContain(dtype);
    // SwiftShader is a software adapter: the engine would pick the CPU (wasm), where the tiny model runs q4, and says why.
    expect(text, consoleLines.join('\n')).toMatch(/Runs here as q4 on wasm: the WebGPU adapter is a software one/);
    expect(await entry(TINY_MODEL).getAttribute('data-runnable')).toBe('true');
    expect(await page.getByTestId('adapter-summary').textContent()).toMatch(/shader-f16 no/);
  });

  test("says plainly when this device can't run a model, and offers no download", async () => {
    expect(await entry(giantManifest.id).getAttribute('data-runnable')).toBe('false');
    expect(await entry(giantManifest.id).getByTestId('model-blocker').textContent()).toMatch(/needs GPU buffers of 65536 MiB.*can't run it/);
    expect(await entry(giantManifest.id).getByTestId('download-button').isDisabled()).toBe(true);
  });

  test("a model larger than the browser's storage quota is refused with the space it needs, before any download", async () => {
    const blocker = await entry(hugeManifest.id).getByTestId('model-blocker').textContent();
    expect(blocker).toMatch(/needs 50\.0 TB more storage, but this browser allows this site only [\d.]+ [KMGT]?B/);
    expect(await entry(hugeManifest.id).getByTestId('download-button').isDisabled()).toBe(true);
    // The engine's own check (in the worker, on the real estimate) refuses it too, with the numbers.
    const error = await page.evaluate(async (id) => {
      const hook = (globalThis as unknown as { agentFlanWeb: { engine: { download(o: unknown): Promise<unknown> }; session: { settings: { modelBaseUrl: string } } } }).agentFlanWeb;
      try {
        await hook.engine.download({ modelId: id, modelBaseUrl: hook.session.settings.modelBaseUrl });
        return null;
      } catch (e) {
        return { code: (e as { code?: string }).code, message: (e as Error).message };
      }
    }, hugeManifest.id);
    expect(error?.code).toBe('storage-quota');
    expect(error?.message).toMatch(/50\.0 TB more is needed, but only [\d.]+ [KMGT]?B is available/);
    expect(requests.filter((u) => u.includes(`/models/${hugeManifest.id}/onnx/`))).toEqual([]);
  });

  test('a download refused before it starts leaves nothing in storage (no partial entry)', async () => {
    const refusals = await page.evaluate(async (ids) => {
      const hook = (globalThis as unknown as { agentFlanWeb: { engine: { download(o: unknown): Promise<unknown>; storedModels(): Promise<{ id: string }[]> }; session: { settings: { modelBaseUrl: string } } } }).agentFlanWeb;
      const codes: (string | undefined)[] = [];
      for (const id of ids) {
        codes.push(await hook.engine.download({ modelId: id, modelBaseUrl: hook.session.settings.modelBaseUrl }).then(() => 'downloaded', (e) => (e as { code?: string }).code));
      }
      return { codes, stored: (await hook.engine.storedModels()).map((m) => m.id) };
    }, [hugeManifest.id, giantManifest.id]);
    // No room for one, no GPU buffer large enough for the other: both refused before any byte is fetched.
    expect(refusals.codes).toEqual(['storage-quota', 'model-too-large']);
    expect(refusals.stored).not.toContain(hugeManifest.id);
    expect(refusals.stored).not.toContain(giantManifest.id);
  });

  test('after a load the storage view lists the model as complete; delete removes it; the next load downloads again', async () => {
    await loadModel(page);
    await storedRow(TINY_MODEL).waitFor();
    expect(await storedRow(TINY_MODEL).getAttribute('data-complete')).toBe('true');
    expect(await storedRow(TINY_MODEL).textContent()).toMatch(/complete: q4(?!f)/);
    await screenshot(page, 'models');
    const before = onnxRequests();
    expect(before).toBeGreaterThan(0);

    // The refused models left nothing behind: the storage view does not list them as partial downloads.
    expect(await page.getByTestId('stored-model').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-model')))).toEqual([TINY_MODEL]);

    await storedRow(TINY_MODEL).getByTestId('delete-model').click();
    await storedRow(TINY_MODEL).getByTestId('confirm-delete').click();
    await expect.poll(() => storedRow(TINY_MODEL).count()).toBe(0);

    await loadModel(page);
    await storedRow(TINY_MODEL).waitFor();
    expect(onnxRequests(), 'the deleted files were downloaded again').toBeGreaterThan(before);
  });

  test('download without loading shows per-file and total progress; a later load then fetches nothing', async () => {
    await storedRow(TINY_MODEL).getByTestId('delete-model').click();
    await storedRow(TINY_MODEL).getByTestId('confirm-delete').click();
    await expect.poll(() => storedRow(TINY_MODEL).count()).toBe(0);
    const before = onnxRequests();
    await entry(TINY_MODEL).getByTestId('download-button').click();
    await page.locator('[data-testid="download-progress"][data-done="true"]').waitFor({ timeout: 60_000 });
    const managerError = await page.getByTestId('model-manager-error').textContent({ timeout: 500 }).catch(() => null);
    expect(managerError).toBeNull();
    const files = await page.getByTestId('download-file').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-file')));
    const q4Files = [...tiny.common, ...tiny.dtypes.q4!.files].map((f) => f.path);
    expect(files.sort()).toEqual(q4Files.sort());
    const total = [...tiny.common, ...tiny.dtypes.q4!.files].reduce((sum, f) => sum + f.bytes, 0);
    const totals = await page.locator('[data-testid="download-progress"] progress').first().evaluate((p) => [(p as HTMLProgressElement).value, (p as HTMLProgressElement).max]);
    expect(totals).toEqual([total, total]);
    expect(onnxRequests()).toBeGreaterThan(before);
    await storedRow(TINY_MODEL).waitFor();
    expect(await storedRow(TINY_MODEL).getAttribute('data-complete')).toBe('true');
    await entry(TINY_MODEL).getByTestId('model-stored').waitFor();
    expect(await entry(TINY_MODEL).getByTestId('download-button').count(), 'no download offered for stored files').toBe(0);
    await screenshot(page, 'models-download');

    const afterDownload = onnxRequests();
    await loadModel(page);
    expect(onnxRequests(), 'load used the downloaded files').toBe(afterDownload);
  });
});
