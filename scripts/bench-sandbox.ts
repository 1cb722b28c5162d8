/**
 * Sandbox timings through the real seam (SandboxClient -> Node worker thread): worker start + open +
 * reset per environment, a typical step, and the watchdog's restore after a hung step. Prints numbers. The OS
 * environment's Linux guest has its own: `npm run bench:os`.
 *   npx tsx scripts/bench-sandbox.ts
 */
import { SandboxClient } from '../src/lib/sandbox/client';
import { spawnNodeSandboxWorker } from '../src/lib/sandbox/node/spawn';
import { dbTasks } from '../src/lib/tasks/db/index';
import { toolsTasks } from '../src/lib/tasks/tools/tasks';
import type { Action, EnvId, TaskSpec } from '../src/lib/tasks/types';

const STEPS = 20;

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
}

async function bench(env: EnvId, task: TaskSpec, action: Action, hang: Action): Promise<void> {
  const client = new SandboxClient(env, { spawn: spawnNodeSandboxWorker, stepTimeoutMs: 1000 });
  const [, startMs] = await time(() => client.reset(task));
  const [, firstMs] = await time(() => client.step(action));
  const stepTimes: number[] = [];
  for (let i = 0; i < STEPS; i++) stepTimes.push((await time(() => client.step(action)))[1]);
  stepTimes.sort((a, b) => a - b);
  const [, hangMs] = await time(() => client.step(hang));
  client.dispose();
  const median = stepTimes[Math.floor(STEPS / 2)];
  console.log(
    `${env.padEnd(6)} start+open+reset ${startMs.toFixed(0).padStart(5)} ms | first step ${firstMs.toFixed(1).padStart(6)} ms | ` +
      `median step ${median.toFixed(1).padStart(6)} ms | hung step -> timeout + restore ${hangMs.toFixed(0).padStart(5)} ms (budget 1000 ms)`,
  );
}

await bench('db', dbTasks[3], { type: 'tool', name: 'sql', args: 'SELECT * FROM skyscrapers_in_Columbus' }, {
  type: 'tool',
  name: 'sql',
  args: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c',
});
await bench('tools', toolsTasks.find((t) => t.id === 'tools-fibonacci')!, { type: 'tool', name: 'JavaScript', args: { code: 'let a = 1, b = 1; for (let i = 3; i <= 30; i++) [a, b] = [b, a + b]; b' } }, {
  type: 'tool',
  name: 'JavaScript',
  // QuickJS stops itself after 1.5 s; with a 1 s budget the watchdog fires first.
  args: { code: 'while (true) {}' },
});
