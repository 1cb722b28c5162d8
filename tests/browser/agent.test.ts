/**
 * The agent demo in the built app, in headless Chromium: the task gallery, expert replays through the
 * real protocol parsers and sandboxed environments (one task per environment), a real episode with the
 * tiny random model (streams, stops, ends), and hostile HTML in model output and observations.
 * Screenshots of the main screens go to test-results/.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, captureConsole } from '../../scripts/lib/chromium';
import { DIST, loadModel, serveDist, GUEST_IN_BUILD } from './support/app';
import type { RunningServer } from '../../scripts/lib/static-server';
import catalog from '../../src/lib/tasks/catalog.json';
import { osExperts } from '../../src/lib/tasks/os/experts';

const SHOTS = resolve(import.meta.dirname, '../../test-results');
const ENVS = ['os', 'db', 'kg', 'household', 'shop', 'wiki', 'tools'];
const RESULT = '[data-testid="episode-result"]';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await serveDist();
  browser = await launchChromium({ webgpu: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(query: string): Promise<{ page: Page; consoleLines: string[] }> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  const consoleLines = captureConsole(page);
  // Every refusal under the served Content-Security-Policy, as the page sees it.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  await page.goto(`${server.url}${query}`);
  return { page, consoleLines };
}

/** The live terminal's rows as xterm draws them (no whitespace: a long line wraps at the terminal's width). */
async function terminalRows(page: Page): Promise<string> {
  const rows = page.locator('[data-testid="env-terminal"] .xterm-rows');
  return (await rows.evaluate((el) => [...el.children].map((r) => r.textContent ?? '').join('\n'))).replace(/\s+/g, '');
}

/**
 * The OS session in the live terminal (xterm.js) under the served CSP: each command the expert typed and each output
 * the guest answered (as the trace's observations give it), read-only, focusable by name, and nothing refused.
 */
const OS_OUTPUT = 'The output of the OS:';

async function checkTerminal(page: Page, taskId: string, consoleLines: string[]): Promise<void> {
  const terminal = page.locator('[data-testid="env-terminal"][data-ready="true"]');
  await terminal.waitFor({ timeout: 30_000 });
  // The expert's bash turns: their commands, and the observations of those turns (data-turn counts from 1).
  const bashTurns = osExperts[taskId].flatMap((turn, i) => (turn.includes('```bash\n') ? [{ turn: i + 1, command: turn.split('```bash\n')[1].split('\n```')[0] }] : []));
  const commands = bashTurns.map((t) => t.command);
  const outputs: string[] = [];
  for (const { turn } of bashTurns) {
    const text = await page.locator(`[data-testid="trace-step"][data-kind="observation"][data-turn="${turn}"] pre`).textContent();
    const output = (text ?? '').replace(OS_OUTPUT, '').trim();
    if (!output.startsWith('The output of the OS is empty')) outputs.push(output);
  }
  expect(commands.length, taskId).toBeGreaterThan(0);
  expect(outputs, taskId).not.toEqual([]);
  const shown = await terminalRows(page);
  for (const text of [...commands, ...outputs]) expect(shown, `terminal of ${taskId}`).toContain(text.replace(/\s+/g, ''));
  // The screen-reader transcript says the same.
  const transcript = ((await page.getByTestId('env-terminal-text').textContent()) ?? '').replace(/\s+/g, '');
  for (const text of commands) expect(transcript).toContain(text.replace(/\s+/g, ''));

  const input = terminal.getByRole('textbox', { name: 'The Linux terminal (read-only)' });
  expect(await input.evaluate((el) => (el as HTMLTextAreaElement).readOnly)).toBe(true);
  await input.focus();
  await page.keyboard.type('rm -rf /\n');
  expect(await terminalRows(page)).toBe(shown);
  // Selected with the mouse (the first row: the first command as typed) and copied with Ctrl+C.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
  const box = (await terminal.locator('.xterm-rows > div').first().boundingBox())!;
  await page.mouse.move(box.x + 1, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.press('Control+C');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(commands[0].split('\n')[0]);
  expect(consoleLines.filter((l) => /CSP violation|Content Security Policy|Refused to/.test(l))).toEqual([]);
}

async function stepKinds(page: Page): Promise<string[]> {
  return page.locator('[data-testid="trace-step"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind') ?? ''));
}

describe('task gallery and expert replays', () => {
  let page: Page;
  let consoleLines: string[];

  test('the app shell is small and the gallery loads no environment code, data, wasm or sandbox worker', async () => {
    const html = readFileSync(resolve(DIST, 'index.html'), 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    const gzipped = assets.reduce((sum, a) => sum + gzipSync(readFileSync(resolve(DIST, a))).length, 0);
    console.log(`app shell: ${assets.join(', ')}: ${(gzipped / 1024).toFixed(1)} KiB gzipped`);
    expect(gzipped).toBeLessThan(250 * 1024);

    const requested: string[] = [];
    const context = await browser.newContext();
    const probe = await context.newPage();
    probe.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await probe.goto(`${server.url}?replay_cps=0`);
    await expect.poll(() => probe.getByTestId('task-card').count()).toBeGreaterThan(40);
    expect(requested.filter((p) => /\.wasm$|sandbox\.worker|\/(os|db|kg|household|shop|wiki|tools)-[\w-]+\.js$/.test(p))).toEqual([]);
    await probe.locator('[data-testid="task-card"][data-env="db"]').first().click();
    await expect.poll(() => requested.some((p) => p.includes('sandbox.worker'))).toBe(true);
    await context.close();
  });

  test('the gallery shows all seven environment groups, each with task cards', async () => {
    ({ page, consoleLines } = await openPage('?replay_cps=0'));
    const groups = page.getByTestId('task-group');
    await expect.poll(() => groups.count()).toBe(7);
    expect(await groups.evaluateAll((els) => els.map((e) => e.getAttribute('data-env')))).toEqual(ENVS);
    for (const env of ENVS) {
      const cards = page.locator(`[data-testid="task-card"][data-env="${env}"]`);
      expect(await cards.count(), env).toBeGreaterThan(0);
      expect((await cards.first().textContent())?.trim().length, `${env} card title`).toBeGreaterThan(5);
    }
    await page.screenshot({ path: resolve(SHOTS, 'agent-gallery.png'), fullPage: true });
  });

  test.runIf(!GUEST_IN_BUILD)('without the Linux guest in the build, the gallery says so at the OS group and an OS task says how to build it', async () => {
    await expect.poll(() => page.getByTestId('guest-missing').count()).toBe(1);
    expect(await page.locator('[data-testid="task-group"][data-env="os"] [data-testid="guest-missing"]').textContent()).toMatch(/does not serve the Linux guest/);
    await page.locator('[data-testid="task-card"][data-env="os"]').first().click();
    const watch = page.getByTestId('watch-expert');
    await expect.poll(() => watch.isEnabled(), { timeout: 60_000 }).toBe(true);
    await watch.click();
    await page.locator(RESULT).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('episode-panel').textContent()).toMatch(/The Linux guest for the OS tasks is not built: run `npm run build:guest`/);
    await page.getByTestId('back-to-tasks').click();
  });

  // OS last: with the guest, its replay runs on v86 in the sandbox worker.
  test.each([...ENVS.filter((e) => e !== 'os'), ...(GUEST_IN_BUILD ? ['os'] : [])])('an expert replay of the first %s task ends in success with thought, action, observation and final steps', async (env) => {
    const card = page.locator(`[data-testid="task-card"][data-env="${env}"]`).first();
    const taskId = await card.getAttribute('data-task-id');
    // Keyboard only: a card and the replay button open and start with Enter.
    await card.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('episode-title');
    const watch = page.getByTestId('watch-expert');
    await expect.poll(() => watch.isEnabled(), { timeout: 60_000 }).toBe(true);
    await watch.focus();
    await page.keyboard.press('Enter');
    const result = page.locator(RESULT);
    await result.waitFor({ timeout: 60_000 });
    const kinds = await stepKinds(page);
    expect(await result.getAttribute('data-success'), `${taskId}: ${await result.textContent()}\n${consoleLines.join('\n')}`).toBe('true');
    expect(Number(await result.getAttribute('data-reward'))).toBe(1);
    expect(await result.getByTestId('episode-mode').textContent()).toBe('lenient mode'); // the gallery's default
    for (const kind of ['action', 'observation', 'final']) expect(kinds, `${taskId} step kinds`).toContain(kind);
    // Every expert writes its reasoning before acting (Think:/THOUGHT:/Thought:), shown as thought steps.
    expect(kinds, `${taskId} step kinds`).toContain('thought');
    expect(await page.getByTestId('step-counter').textContent()).toMatch(/Turn \d+ of at most \d+/);
    if (env === 'os') await checkTerminal(page, taskId!, consoleLines);
    if (['os', 'db', 'household', 'shop'].includes(env)) {
      await page.getByTestId('env-state').waitFor();
      await page.screenshot({ path: resolve(SHOTS, `agent-expert-${env}.png`), fullPage: true });
    }
    await page.getByTestId('reset-episode').click();
    expect(await page.locator('[data-testid="trace-step"]').count()).toBe(0);
    await page.getByTestId('back-to-tasks').click();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.taskId)).toBe(taskId);
  });
});

describe('tasks with a flawed reference answer', () => {
  test('come last in their group, and their page says what is wrong', async () => {
    const { page } = await openPage('?replay_cps=0');
    const db = page.locator('[data-testid="task-card"][data-env="db"]');
    await expect.poll(() => db.count()).toBeGreaterThan(0);
    expect(await db.first().getAttribute('data-task-id')).not.toBe('db-01');
    await page.locator('[data-testid="task-group"][data-env="db"]').getByRole('button', { name: /Show all/ }).click();
    const ids = await db.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-task-id')));
    const noted = catalog.envs.find((e) => e.id === 'db')!.tasks.filter((t) => 'note' in t).map((t) => t.id);
    expect(noted).toContain('db-01');
    expect(ids.slice(-noted.length).sort()).toEqual(noted.sort());
    await page.locator('[data-testid="task-card"][data-task-id="db-01"]').click();
    // db-01's AgentBench label is not in its table: the task page says so (the expert's last thought does too).
    expect(await page.getByTestId('task-note').textContent()).toMatch(/reference answer .* is not in the task's table/);
    await page.close();
  });
});

describe('a real episode with the tiny random model', () => {
  let page: Page;
  let consoleLines: string[];

  test('runs a DB task: streams, can be stopped, and a full run ends with a result', async () => {
    ({ page, consoleLines } = await openPage('?device=wasm&temperature=0&max_new_tokens=64'));
    await loadModel(page);
    await page.locator('[data-testid="task-card"][data-env="db"]').first().click();
    const run = page.getByTestId('run-model');
    await expect.poll(() => run.isEnabled(), { timeout: 60_000 }).toBe(true);

    await run.click();
    const streaming = page.getByTestId('trace-streaming').locator('pre');
    await expect.poll(async () => ((await streaming.textContent().catch(() => '')) ?? '').length, { timeout: 60_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: resolve(SHOTS, 'agent-model-streaming.png'), fullPage: true });
    await page.getByTestId('stop-episode').click();
    const result = page.locator(RESULT);
    await result.waitFor({ timeout: 30_000 });
    expect(await result.getAttribute('data-success')).toBe('false');
    expect(await result.textContent()).toMatch(/stopped/i);
    // The reply being written when Stop came is kept, marked stopped (not just "not solved").
    expect(await stepKinds(page)).toContain('stopped');
    expect(((await page.getByTestId('stopped-text').first().textContent()) ?? '').trim().length).toBeGreaterThan(0);
    expect(await page.getByTestId('engine-status').getAttribute('data-state')).toBe('ready');

    // Keyboard: Escape stops a run too.
    await run.click();
    await expect.poll(() => result.count()).toBe(0);
    await expect.poll(async () => ((await streaming.textContent().catch(() => '')) ?? '').length, { timeout: 60_000 }).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => result.textContent(), { timeout: 30_000 }).toMatch(/stopped/i);

    await run.click();
    await expect.poll(() => result.count()).toBe(0);
    await result.waitFor({ timeout: 150_000 });
    expect(await result.getAttribute('data-success'), consoleLines.join('\n')).toBe('false');
    expect(Number(await result.getAttribute('data-reward'))).toBe(0);
    // Random weights never follow the format: the trace shows what the model was told instead.
    expect(await stepKinds(page)).toContain('observation');
    await page.screenshot({ path: resolve(SHOTS, 'agent-model-episode.png'), fullPage: true });
  });

  test('hostile HTML in model output and in a real SQL observation is shown as text: nothing injected, nothing run', async () => {
    await page.getByTestId('reset-episode').click();
    await expect.poll(() => page.getByTestId('trace-step').count()).toBe(0);
    // The scripting hook swaps the engine's generate for scripted hostile turns; the DB environment runs them for real.
    await page.evaluate(() => {
      const w = window as unknown as { agentFlanWeb: { engine: { generate: unknown } }; pwned?: number };
      const turns = [
        'Think: <script>window.pwned = 1</script> <img src=x onerror="window.pwned = 2"> **bold <i>x</i>** [**click**](javascript:window.pwned=5) [x](data:text/html,<script>window.pwned=8</script>) [ok](https://example.org/a)\nAction: Operation\n```sql\nSELECT \'<img src=x onerror="window.pwned = 3">\', \'<script>window.pwned = 4</script>\';\n```',
        'Think: <svg onload="window.pwned = 6"></svg>\nAction: Answer\nFinal Answer: ["<b onmouseover=\\"window.pwned = 7\\">0</b>"]',
      ];
      let i = 0;
      w.agentFlanWeb.engine.generate = async (_request: unknown, onToken?: (e: { text: string; tokens: number; tokensPerSecond: number }) => void) => {
        const text = turns[Math.min(i++, turns.length - 1)];
        onToken?.({ text, tokens: 1, tokensPerSecond: 1 });
        return { text, tokens: 1, stopReason: 'eos', timings: { promptTokens: 1, reusedTokens: 0, prefillMs: 0, ttftMs: 0, decodeTokensPerSecond: 1 } };
      };
    });
    await page.getByTestId('run-model').click();
    await expect.poll(() => page.locator(RESULT).count(), { timeout: 60_000 }).toBe(1);
    const panel = page.getByTestId('episode-panel');
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain('<script>window.pwned = 1</script>');
    expect(text).toContain('<img src=x onerror="window.pwned = 3">');
    expect(text).toContain('<b onmouseover="window.pwned = 7">0</b>');
    expect(await panel.locator('script, img, svg, i, b, iframe, [onerror], [onload], [onmouseover]').count()).toBe(0);
    const hrefs = await panel.locator('a').evaluateAll((els) => els.map((e) => e.getAttribute('href')));
    expect(hrefs).toEqual(['https://example.org/a']);
    expect(await panel.locator('strong').first().textContent()).toBe('bold <i>x</i>');
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await page.screenshot({ path: resolve(SHOTS, 'agent-hostile-html.png'), fullPage: true });
  });

  test('free mode: the visitor picks tools, the prompt offers only those, and a tool call runs in the real Tools sandbox', async () => {
    await page.getByTestId('nav-free').click();
    await page.getByTestId('free-mode').waitFor();
    // Scripted ReAct turns through the same hook; the prompts the engine receives are kept for inspection.
    await page.evaluate(() => {
      const w = window as unknown as { agentFlanWeb: { engine: { generate: unknown } }; prompts: string[] };
      const turns = ['Thought: I multiply with the calculator.\nAction: Calculator\nAction Input: {"expression": "2^64 * 3"}', 'Thought: The calculator answered.\nFinal Answer: 55340232221128654848'];
      w.prompts = [];
      w.agentFlanWeb.engine.generate = async (request: { prompt: string }) => {
        w.prompts.push(request.prompt);
        const text = turns[Math.min(w.prompts.length - 1, turns.length - 1)];
        return { text, tokens: 1, stopReason: 'eos', timings: { promptTokens: 1, reusedTokens: 0, prefillMs: 0, ttftMs: 0, decodeTokensPerSecond: 1 } };
      };
    });
    await page.getByTestId('free-request').fill('What is 2^64 times 3?');
    const tools = page.getByTestId('free-tool');
    expect(await tools.count()).toBe(6);
    for (const name of ['Calculator', 'WikiSearch', 'JavaScript']) {
      const box = page.locator(`[data-testid="free-tool"][value="${name}"]`);
      if ((await box.isChecked()) !== (name === 'Calculator')) await box.click();
    }
    await page.getByTestId('free-run').click();
    const result = page.locator(RESULT);
    await expect.poll(() => result.count(), { timeout: 60_000 }).toBe(1);
    expect(await result.getAttribute('data-success')).toBe('true');
    expect(await result.textContent()).toMatch(/Answered/);
    const observations = await page.locator('[data-testid="trace-step"][data-kind="observation"]').allTextContents();
    expect(observations[0]).toContain('55340232221128654848');
    const prompts = await page.evaluate(() => (window as unknown as { prompts: string[] }).prompts);
    expect(prompts[0]).toContain('What is 2^64 times 3?');
    expect(prompts[0]).toContain('Calculator');
    expect(prompts[0]).not.toMatch(/WikiSearch|JavaScript|UnitConverter/);
    await page.screenshot({ path: resolve(SHOTS, 'agent-free-mode.png'), fullPage: true });

    await page.getByTestId('free-request').fill('   ');
    await page.getByTestId('free-run').click();
    expect(await page.getByRole('alert').textContent()).toMatch(/Type a request first/);
  });

  test('the views: chat keeps working from its tab, the models slot is there, and the address selects the view', async () => {
    await page.getByTestId('nav-chat').click();
    await page.getByTestId('prompt-input').waitFor();
    expect(await page.getByTestId('nav-chat').getAttribute('aria-current')).toBe('page');
    await page.getByTestId('nav-models').click();
    await page.getByTestId('models-view').waitFor();
    await page.goto(`${server.url}#chat`);
    await page.getByTestId('prompt-input').waitFor();
    await page.getByTestId('nav-tasks').click();
    await expect.poll(() => page.getByTestId('task-group').count()).toBe(7);
  });
});
