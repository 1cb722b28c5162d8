/** Drives the built app (dist/) in Chromium: serve it, open it, load a model through the UI, chat. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { startStaticServer, type RunningServer, type StaticServerOptions } from '../../../scripts/lib/static-server';

export const DIST = resolve(import.meta.dirname, '../../../dist');
export const TINY_MODEL = 'tiny-random-agent-flan';
/** The OS tasks run on the Linux guest, in the build when `npm run build:guest` ran before `npm run build`. */
export const GUEST_IN_BUILD = existsSync(resolve(DIST, 'vm/manifest.json'));

export async function serveDist(options: Partial<StaticServerOptions> = {}): Promise<RunningServer> {
  if (!existsSync(resolve(DIST, 'index.html'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it).');
  if (!existsSync(resolve(DIST, 'models', TINY_MODEL, 'manifest.json'))) {
    throw new Error('dist/models has no test model: run `npm run fixtures && npm run build` (npm test does it).');
  }
  return startStaticServer({ root: DIST, ...options });
}

export async function loadModel(page: Page, timeout = 120_000): Promise<void> {
  await expect.poll(() => page.getByTestId('model-select').locator('option').count()).toBeGreaterThan(0);
  await page.getByTestId('load-button').click();
  await page.locator('[data-testid="engine-status"][data-state="ready"], [data-testid="engine-status"][data-state="error"]').waitFor({ timeout });
  const state = await page.getByTestId('engine-status').getAttribute('data-state');
  if (state !== 'ready') throw new Error(`model did not load: ${await page.getByTestId('engine-error').textContent()}`);
}

/** An assistant message that is no longer streaming. */
export const FINISHED_REPLY = '[data-testid="message"][data-role="assistant"]:not([aria-busy="true"])';

/** Opens the Chat view if it is not the one shown (the app starts on the task gallery). */
export async function openChat(page: Page): Promise<void> {
  const input = page.getByTestId('prompt-input');
  if (await input.isVisible()) return;
  await page.getByTestId('nav-chat').click();
  await input.waitFor();
}

/** Sends a message from the Chat view and waits for the reply to finish; returns the reply text. */
export async function send(page: Page, text: string, timeout = 120_000): Promise<string> {
  await openChat(page);
  const replies = page.locator(FINISHED_REPLY);
  const before = await replies.count();
  await page.getByTestId('prompt-input').fill(text);
  await page.getByTestId('send-button').click();
  await expect.poll(() => replies.count(), { timeout }).toBe(before + 1);
  return (await replies.last().textContent()) ?? '';
}
