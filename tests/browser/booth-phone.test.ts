/**
 * The booth on a phone (390x844, touch), in the built app on headless Chromium: a finger on the attract screen
 * shows "Starting…" at once, before it is lifted, and lifting it opens the visit with its tasks in view; a long
 * press with a mouse on the title opens the settings and starts no visit.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium';
import type { RunningServer } from '../../scripts/lib/static-server';
import { serveDist } from './support/app';
import { screenshot } from './support/screenshots';

let server: RunningServer;
let browser: Browser;
let page: Page;
let cdp: CDPSession;

beforeAll(async () => {
  server = await serveDist();
  browser = await launchChromium({ webgpu: false });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 1 });
  page = await context.newPage();
  cdp = await context.newCDPSession(page);
  await page.goto(`${server.url}?booth&replay_cps=0&featured=db,household`);
  await page.getByTestId('booth-attract').waitFor();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const boothState = () => page.getByTestId('booth').getAttribute('data-state');
const touch = (type: 'touchStart' | 'touchEnd', x: number, y: number) =>
  cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });

test('a long press with a mouse on the title opens the settings and starts no visit', async () => {
  const box = (await page.getByTestId('booth-title').boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + 10);
  await page.mouse.down();
  await page.getByTestId('booth-settings').waitFor({ timeout: 10_000 });
  await page.mouse.up();
  expect(await page.getByTestId('booth-starting').count(), 'no "Starting…" for a press on the title').toBe(0);
  await page.waitForTimeout(300);
  expect(await boothState()).toBe('attract');
  await page.getByRole('button', { name: 'Close' }).click();
  expect(await boothState()).toBe('attract');
});

test('a finger on the attract screen shows "Starting…" at once; lifting it opens the visit with its tasks in view', async () => {
  const box = (await page.getByTestId('booth-attract').boundingBox())!;
  const [x, y] = [box.x + box.width / 2, box.y + box.height * 0.8];
  await touch('touchStart', x, y);
  // Before the finger is lifted: the press itself answers.
  await page.getByTestId('booth-starting').waitFor({ timeout: 5_000 });
  expect(await boothState()).toBe('attract');
  await screenshot(page, 'booth-phone-starting');
  await touch('touchEnd', x, y);
  await expect.poll(boothState).toBe('active');
  const first = (await page.getByTestId('booth-task').first().boundingBox())!;
  expect(first.y + first.height, 'the first task is in view without scrolling').toBeLessThanOrEqual(844);
  expect(first.x + first.width, 'and fits the width').toBeLessThanOrEqual(390);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no sideways scrolling').toBeLessThanOrEqual(390);
  await screenshot(page, 'booth-phone-visit');
});
