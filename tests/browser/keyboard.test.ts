/**
 * The main actions by keyboard only, in the built app on headless Chromium (the tiny test model on wasm): Tab
 * reaches each control with a visible focus ring, Enter and Space operate it, Escape stops or cancels, and focus
 * lands somewhere useful when the control that had it goes away (Send turning into Stop, a Run button disabled
 * while it runs, Delete replaced by its confirmation). One context: the model stored by the first load serves the rest.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, captureConsole } from '../../scripts/lib/chromium';
import type { RunningServer } from '../../scripts/lib/static-server';
import { FINISHED_REPLY, serveDist } from './support/app';

let server: RunningServer;
let browser: Browser;
let page: Page;
let consoleLines: string[];

beforeAll(async () => {
  server = await serveDist();
  browser = await launchChromium({ webgpu: false });
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
  page = await context.newPage();
  consoleLines = captureConsole(page);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const focused = (selector: string) => page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);

/** Presses Tab (or Shift+Tab) until `selector` has focus, and checks that the focus shows. */
async function tabTo(selector: string, direction: 'forward' | 'back' = 'forward', max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(direction === 'forward' ? 'Tab' : 'Shift+Tab');
    if (await focused(selector)) {
      const ring = await page.evaluate(() => {
        const active = document.activeElement!;
        const style = getComputedStyle(active);
        return active.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
      });
      expect(ring, `${selector} shows where the focus is`).toBe(true);
      return;
    }
  }
  const at = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
  throw new Error(`${max} presses of Tab never reached ${selector}; focus is on ${at}`);
}

test('load the model, find a task, watch the expert and go back: by keyboard', async () => {
  await page.goto(`${server.url}?replay_cps=0&temperature=0#tasks`);
  await page.getByTestId('task-card').first().waitFor();
  await tabTo('[data-testid="load-button"]');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="engine-status"][data-state="ready"]').waitFor({ timeout: 120_000 });
  expect(await focused('[data-testid="load-button"]'), 'the Load button has the focus back after loading').toBe(true);

  await tabTo('[data-testid="task-filter"]');
  await page.keyboard.type('capital');
  await tabTo('[data-testid="task-card"]');
  const taskId = await page.evaluate(() => document.activeElement!.getAttribute('data-task-id'));
  await page.keyboard.press('Enter');
  await page.getByTestId('episode-panel').waitFor();
  expect(await focused('#episode-title'), 'the opened task’s heading has the focus').toBe(true);

  await tabTo('[data-testid="watch-expert"]');
  await page.keyboard.press('Enter');
  await page.getByTestId('episode-result').waitFor({ timeout: 60_000 });
  await expect.poll(() => focused('[data-testid="watch-expert"]'), { message: 'focus is back on the button that started the replay' }).toBe(true);

  await tabTo('[data-testid="back-to-tasks"]', 'back');
  await page.keyboard.press(' ');
  await page.getByTestId('task-gallery').waitFor();
  expect(await focused(`[data-testid="task-card"][data-task-id="${taskId}"]`), 'focus returns to the card that opened the task').toBe(true);
});

test('settings, then chat: send with Enter, stop with Escape, copy, clear', async () => {
  await tabTo('[data-testid="settings"] summary', 'back');
  await page.keyboard.press('Enter');
  await tabTo('[data-testid="setting-max-new-tokens"]');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('300');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('[data-testid="settings"] [role="status"]').textContent()).toMatch(/^Saved/);

  await tabTo('[data-testid="nav-chat"]', 'back');
  await page.keyboard.press('Enter');
  await page.getByTestId('chat-empty').waitFor();
  await tabTo('[data-testid="prompt-input"]');
  await page.keyboard.type('Tell me a long story.');
  await page.keyboard.press('Enter');
  const streaming = page.locator('[data-testid="message"][aria-busy="true"]');
  await expect.poll(async () => ((await streaming.textContent().catch(() => '')) ?? '').length, { timeout: 60_000 }).toBeGreaterThan(10);
  await page.keyboard.press('Escape');
  await page.locator(FINISHED_REPLY).waitFor({ timeout: 30_000 });
  expect(await page.locator(FINISHED_REPLY).getAttribute('data-stopped'), 'Escape stopped the reply (of up to 300 tokens)').toBe('true');
  expect(await focused('[data-testid="prompt-input"]'), 'the message box keeps the focus').toBe(true);

  await tabTo('.row.user [data-testid="copy-message"]', 'back');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('Tell me a long story.');

  await tabTo('[data-testid="clear-chat"]');
  await page.keyboard.press('Enter');
  await page.getByTestId('chat-empty').waitFor();
  expect(await focused('[data-testid="prompt-input"]'), 'Clear disables itself: focus goes to the message box').toBe(true);
  expect(await page.getByTestId('chat-error').count(), consoleLines.join('\n')).toBe(0);
});

test('free request: Run moves the focus to Stop, Escape stops the run, and the focus returns to Run', async () => {
  await tabTo('[data-testid="nav-free"]', 'back');
  await page.keyboard.press('Enter');
  await tabTo('[data-testid="free-request"]');
  await page.keyboard.type('What is 2 + 2?');
  await tabTo('[data-testid="free-run"]');
  await page.keyboard.press('Enter');
  await expect.poll(() => focused('[data-testid="stop-episode"]'), { message: 'Run is disabled while it runs: focus is on Stop' }).toBe(true);
  await expect.poll(async () => ((await page.getByTestId('trace-streaming').textContent().catch(() => '')) ?? '').length, { timeout: 60_000 }).toBeGreaterThan(30);
  await page.keyboard.press('Escape');
  await page.getByTestId('episode-result').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('episode-result').textContent()).toMatch(/Stopped/);
  await expect.poll(() => focused('[data-testid="free-run"]'), { message: 'focus is back on Run' }).toBe(true);
});

test('delete the stored model, with its confirmation: Escape cancels, Enter confirms', async () => {
  await tabTo('[data-testid="nav-models"]', 'back');
  await page.keyboard.press('Enter');
  await page.getByTestId('stored-model').first().waitFor({ timeout: 30_000 });
  await tabTo('[data-testid="delete-model"]');
  await page.keyboard.press('Enter');
  expect(await focused('[data-testid="cancel-delete"]'), 'the confirmation opens on Cancel').toBe(true);
  await page.keyboard.press('Escape');
  await expect.poll(() => focused('[data-testid="delete-model"]'), { message: 'Escape cancels, back on Delete…' }).toBe(true);
  expect(await page.getByTestId('stored-model').count()).toBe(1);

  await page.keyboard.press('Enter');
  await tabTo('[data-testid="confirm-delete"]', 'back');
  await page.keyboard.press('Enter');
  await page.getByTestId('storage-empty').waitFor({ timeout: 30_000 });
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Stored in this browser');
});

test('booth: Enter starts a visit on its first task, Enter runs it, Ctrl+, opens the settings, Escape closes them', async () => {
  await page.goto(`${server.url}?booth&replay_cps=0&featured=db,household`);
  await page.locator('[data-testid="engine-status"][data-state="ready"]').waitFor({ timeout: 120_000 });
  await page.keyboard.press('Enter');
  await expect.poll(() => focused('[data-testid="booth-task"]'), { message: 'the visit opens on its first task' }).toBe(true);
  await page.keyboard.press('Enter');
  await page.getByTestId('episode-result').waitFor({ timeout: 60_000 });
  await expect.poll(() => focused('[data-testid="booth-task"]'), { message: 'focus is back on the task after its run' }).toBe(true);

  await page.keyboard.press('Control+Comma');
  await page.getByTestId('booth-settings').waitFor();
  await expect.poll(() => focused('[data-testid="booth-idle-input"]'), { message: 'the settings open on their first field' }).toBe(true);
  await page.keyboard.press('Escape');
  await expect.poll(() => page.getByTestId('booth-settings').count()).toBe(0);
});
