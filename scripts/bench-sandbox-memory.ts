/**
 * Chromium's memory through one hostile DB episode: seven queries that each try to build ~1 GB of rows or blobs in
 * the sandbox worker (issue 13 measured 1.4 GB -> 4.7 GB for seven such queries before the byte budget), and three
 * endless recursions that time out, so the worker is replaced three times. Samples the resident memory of every
 * Chromium process this script started (/proc, Linux only) every 100 ms and prints baseline, peak and end.
 *   npx tsx scripts/bench-sandbox-memory.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'vite';
import { launchChromium } from './lib/chromium';
import { startStaticServer } from './lib/static-server';

const REPO = resolve(import.meta.dirname, '..');
const OUT = resolve(REPO, '.cache/bench-sandbox-memory');

const sql = (statement: string) => `I will try this.\nAction: Operation\n\`\`\`sql\n${statement}\n\`\`\``;
// Each query differs from the last (the agent loop ends an episode on a repeated action).
const rows1Gb = (i: number) => `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT ${10_000 + i}) SELECT x, randomblob(100000) FROM c`;
const endless = (i: number) => `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) + ${i} FROM c`;
const TURNS = [
  ...Array.from({ length: 7 }, (_, i) => sql(rows1Gb(i))),
  ...Array.from({ length: 3 }, (_, i) => sql(endless(i))),
  'The result gives the answer.\nAction: Answer\nFinal Answer: ["26"]',
];

function processTable(): Map<number, { ppid: number; rssKb: number }> {
  const table = new Map<number, { ppid: number; rssKb: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      table.set(Number(entry), { ppid, rssKb });
    } catch {
      // The process ended while being read.
    }
  }
  return table;
}

/** Resident memory of this process's descendants (Chromium and its renderers, GPU and utility processes), in MB. */
function descendantsRssMb(): number {
  const table = processTable();
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of table) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  let kb = 0;
  const stack = [...(children.get(process.pid) ?? [])];
  while (stack.length) {
    const pid = stack.pop()!;
    kb += table.get(pid)?.rssKb ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return kb / 1024;
}

await build({ root: resolve(REPO, 'tests/browser/hostile-page'), configFile: resolve(REPO, 'vite.config.ts'), logLevel: 'warn', build: { outDir: OUT, emptyOutDir: true } });
const server = await startStaticServer({ root: OUT });
const browser = await launchChromium({ webgpu: false });
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => 'hostile' in window);
  const baseline = descendantsRssMb();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, descendantsRssMb())), 100);
  const t0 = performance.now();
  const report = await page.evaluate(
    ([turns]) => (window as unknown as { hostile: { episode(env: string, task: string, turns: string[]): Promise<{ observations: string[]; restarts: number }> } }).hostile.episode('db', 'db-04', turns),
    [TURNS] as const,
  );
  clearInterval(sampler);
  const seconds = (performance.now() - t0) / 1000;
  await new Promise((ok) => setTimeout(ok, 3000));
  const settled = descendantsRssMb();
  console.log(`Chromium ${(await browser.version())}, wasm sandbox, ${TURNS.length} turns in ${seconds.toFixed(1)} s, worker replaced ${report.restarts} times`);
  for (const [i, o] of report.observations.entries()) console.log(`  observation ${i + 1}: ${o.slice(0, 110).replace(/\n/g, ' ')}`);
  console.log(`resident memory of Chromium's processes: baseline ${baseline.toFixed(0)} MB | peak ${peak.toFixed(0)} MB (+${(peak - baseline).toFixed(0)} MB) | 3 s after ${settled.toFixed(0)} MB`);
} finally {
  await browser.close();
  await server.close();
}
