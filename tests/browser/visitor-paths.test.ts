/**
 * What a visitor meets around the model, in the built app on headless Chromium (no WebGPU: the tiny test model
 * runs on wasm): output that follows the newest step until the visitor scrolls up, then a "jump to latest"
 * control; the Settings panel remembered across a reload with URL parameters still winning; "Ask to keep them"
 * reporting the browser's answer (set through Chromium's permission override); and `?model=agent-flan-7b` on a
 * site without it explaining itself. One context (its storage keeps the model between reloads).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, captureConsole } from '../../scripts/lib/chromium';
import type { RunningServer } from '../../scripts/lib/static-server';
import { FINISHED_REPLY, loadModel, openChat, serveDist } from './support/app';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let consoleLines: string[];

beforeAll(async () => {
  server = await serveDist();
  browser = await launchChromium({ webgpu: false });
  context = await browser.newContext({ viewport: { width: 390, height: 640 } });
  page = await context.newPage();
  consoleLines = captureConsole(page);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** How far the newest output (the last element `selector` matches) ends below the bottom of the window, in CSS pixels. */
const belowWindow = (selector: string) => () =>
  page.evaluate((selector) => Math.max(...[...document.querySelectorAll(selector)].map((e) => e.getBoundingClientRect().bottom)) - innerHeight, selector);
const TRACE = '[data-testid="trace-step"], [data-testid="trace-streaming"]';
const CHAT = '[data-testid="message"]';

describe('output stays in view', () => {
  test('an expert replay follows its newest step; scrolled up, it stays put and offers "jump to latest", which goes back', async () => {
    // A household task (many short turns) at 20 characters a second: time to scroll up while it runs.
    await page.goto(`${server.url}?replay_cps=20#tasks`);
    await page.locator('[data-testid="task-card"][data-env="household"]').first().click();
    await page.getByTestId('watch-expert').click();
    const steps = page.getByTestId('trace-step');
    await expect.poll(() => steps.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.documentElement.scrollHeight > innerHeight * 1.5), 'the page is taller than the window').toBe(true);
    await expect.poll(belowWindow(TRACE)).toBeLessThanOrEqual(1);
    expect(await page.getByTestId('jump-to-latest').count(), 'no jump control while following').toBe(0);

    await page.evaluate(() => scrollTo(0, 0));
    await page.getByTestId('jump-to-latest').waitFor();
    const seen = await steps.count();
    await expect.poll(() => steps.count(), { timeout: 30_000 }).toBeGreaterThan(seen);
    expect(await page.evaluate(() => scrollY), 'new steps did not pull the page down').toBe(0);

    expect(await belowWindow(TRACE)(), 'the newest step is out of view').toBeGreaterThan(0);
    await page.getByTestId('jump-to-latest').click();
    await expect.poll(belowWindow(TRACE)).toBeLessThanOrEqual(1);
    expect(await page.getByTestId('jump-to-latest').count()).toBe(0);
    await page.getByTestId('episode-result').waitFor({ timeout: 60_000 });
  });

  test('a chat reply follows too; scrolled up, "jump to latest" brings it back; Esc stops it', async () => {
    // An earlier conversation, long enough to scroll.
    await page.evaluate(() => {
      const messages = [];
      for (let i = 0; i < 3; i++) messages.push({ role: 'user', content: `Question ${i}` }, { role: 'assistant', content: `Answer ${i}. `.repeat(40) });
      localStorage.setItem('agent-flan-web:chat', JSON.stringify(messages));
    });
    await page.goto(`${server.url}?temperature=0&max_new_tokens=600#chat`);
    await loadModel(page);
    await openChat(page);
    await page.getByTestId('prompt-input').fill('Tell me a long story.');
    await page.getByTestId('prompt-input').press('Enter');
    const streaming = page.locator('[data-testid="message"][aria-busy="true"]');
    await expect.poll(async () => ((await streaming.textContent().catch(() => '')) ?? '').length, { timeout: 60_000 }).toBeGreaterThan(20);
    await expect.poll(belowWindow(CHAT)).toBeLessThanOrEqual(1);

    await page.evaluate(() => scrollTo(0, 0));
    await page.getByTestId('jump-to-latest').click();
    await expect.poll(belowWindow(CHAT)).toBeLessThanOrEqual(1);

    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator(FINISHED_REPLY).count(), { timeout: 30_000 }).toBe(4);
    expect(await page.locator(FINISHED_REPLY).last().getAttribute('data-stopped')).toBe('true');
    await page.getByTestId('clear-chat').click();
  });
});

describe('settings', () => {
  const settingsValue = (id: string) => page.getByTestId(id).inputValue();
  const lastReplyTokens = async () => Number(/(\d+) tokens/.exec((await page.getByTestId('generation-stats').textContent()) ?? '')?.[1]);
  const reply = async () => {
    await openChat(page);
    const before = await page.locator(FINISHED_REPLY).count();
    await page.getByTestId('prompt-input').fill('Count to one hundred, please.');
    await page.getByTestId('send-button').click();
    await expect.poll(() => page.locator(FINISHED_REPLY).count(), { timeout: 120_000 }).toBe(before + 1);
    return lastReplyTokens();
  };

  test('what the panel saves is remembered across a reload and used', async () => {
    await page.goto(`${server.url}#chat`);
    await page.locator('[data-testid="settings"] summary').click();
    await page.getByTestId('setting-max-new-tokens').fill('5');
    await page.getByTestId('setting-temperature').fill('0');
    await page.getByTestId('setting-device').selectOption('wasm');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.locator('[data-testid="settings"] [role="status"]').textContent()).toMatch(/^Saved/);

    await page.reload();
    await page.locator('[data-testid="settings"] summary').click();
    expect(await settingsValue('setting-max-new-tokens')).toBe('5');
    expect(await settingsValue('setting-temperature')).toBe('0');
    expect(await page.getByTestId('setting-device').inputValue()).toBe('wasm');
    await loadModel(page);
    // The default would be 1,024 tokens: the reply stops at the saved limit.
    expect(await reply()).toBeLessThanOrEqual(5);
    expect(await page.getByTestId('chat-error').count(), consoleLines.join('\n')).toBe(0);
  });

  test('a URL parameter wins over the saved value, says so, and saving does not store it', async () => {
    await page.goto(`${server.url}?max_new_tokens=2#chat`);
    await page.locator('[data-testid="settings"] summary').click();
    expect(await settingsValue('setting-max-new-tokens'), 'the panel edits the saved value').toBe('5');
    expect(await page.getByTestId('settings-url-overrides').textContent()).toBe('max new tokens (2)');
    await loadModel(page);
    expect(await reply()).toBeLessThanOrEqual(2);

    await page.getByTestId('setting-top-p').fill('0.5');
    await page.getByTestId('settings-save').click();
    const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('agent-flan-web:settings') ?? '{}'));
    expect(saved).toMatchObject({ maxNewTokens: 5, topP: 0.5, temperature: 0, device: 'wasm' });
    expect(await reply(), 'the URL still wins after saving').toBeLessThanOrEqual(2);
    await page.getByTestId('clear-chat').click();
  });
});

describe('the Models view', () => {
  /** Chromium's answer to navigator.storage.persist(), through its permission override. */
  async function persistAnswer(setting: 'granted' | 'denied') {
    const cdp = await context.newCDPSession(page);
    const { targetInfo } = (await cdp.send('Target.getTargetInfo')) as { targetInfo: { browserContextId: string } };
    // The session stays attached: Chromium drops a session's permission overrides when it detaches.
    await cdp.send('Browser.setPermission', { permission: { name: 'persistent-storage' }, setting, origin: new URL(server.url).origin, browserContextId: targetInfo.browserContextId });
  }

  test('"Ask to keep them" reports what the browser answered, a refusal and then an agreement', async () => {
    await page.goto(`${server.url}#models`);
    // The view has read the storage state (it would overwrite an answer given before).
    await page.getByTestId('model-entry').first().waitFor({ timeout: 30_000 });
    await page.getByTestId('storage-estimate').filter({ hasText: 'This site uses' }).waitFor();
    await persistAnswer('denied');
    await page.getByTestId('persist-button').click();
    await expect.poll(() => page.getByTestId('persist-answer').textContent()).toMatch(/The browser declined/);
    expect(await page.evaluate(() => navigator.storage.persisted())).toBe(false);

    await persistAnswer('granted');
    await page.getByTestId('persist-button').click();
    await expect.poll(() => page.getByTestId('persist-answer').textContent()).toMatch(/The browser agreed/);
    expect(await page.evaluate(() => navigator.storage.persisted())).toBe(true);
    expect(await page.getByTestId('storage-estimate').textContent()).toMatch(/Storage is persistent/);
  });

  test('?model=agent-flan-7b on a site without it says what is missing and how to add it, and offers what is there', async () => {
    await page.goto(`${server.url}?model=agent-flan-7b#models`);
    const error = page.getByTestId('engine-error');
    await error.waitFor({ timeout: 30_000 });
    const text = (await error.textContent()) ?? '';
    expect(text).toMatch(/has no model "agent-flan-7b" \(it serves tiny-random-agent-flan/);
    expect(text).toMatch(/not redistributed with this site: convert it and host it .*\?models=/);
    expect(text).not.toMatch(/404|Not Found/);
    expect(await page.getByTestId('model-select').inputValue()).toBe('tiny-random-agent-flan');
    expect(await page.getByTestId('agent-flan-7b-guide').textContent()).toMatch(/npm run convert/);
  });
});
