import { describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadEnvModule, envLoaders } from '../../src/lib/tasks/registry';
import type { EnvId } from '../../src/lib/tasks/types';

const root = resolve(import.meta.dirname, '../..');
const dbbench = resolve(root, 'tests/fixtures/agentbench/dbbench-dev.jsonl');

function runReplay(lines: string[]): Record<string, unknown>[] {
  const file = join(mkdtempSync(join(tmpdir(), 'replay-')), 'in.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/replay.ts', file], { cwd: root, encoding: 'utf8' });
  return out.trim().split('\n').map((l) => JSON.parse(l));
}

describe('npm run replay', () => {
  test('replays an expert trajectory per environment to reward 1, and a malformed line does not stop the rest', async () => {
    const lines: string[] = [];
    // OS experts run on the Linux guest: tests/unit/os-vm.test.ts replays them (OS_VM_TESTS=1).
    for (const env of (Object.keys(envLoaders) as EnvId[]).filter((e) => e !== 'os')) {
      const module = await loadEnvModule(env);
      const task = module.tasks[0];
      lines.push(JSON.stringify({ env, task: task.id, turns: module.experts[task.id] }));
    }
    lines.splice(3, 0, '{"env": "os", "task": ', JSON.stringify({ env: 'os', task: 'no-such-task', turns: [] }));
    const out = runReplay(lines);
    expect(out).toHaveLength(8);
    expect(out[3]).toMatchObject({ line: 4 });
    expect(String(out[3].error)).toMatch(/not JSON/);
    expect(String(out[4].error)).toMatch(/no os task "no-such-task"/);
    const replays = [...out.slice(0, 3), ...out.slice(5)];
    for (const r of replays) {
      expect(r).toMatchObject({ reward: 1, done: true });
      expect(r.steps).toBe((r.observations as string[]).length);
    }
  }, 60_000);

  test('takes an AgentBench dbbench entry inline, and a wrong answer scores 0 with the SQL observation kept', () => {
    const entry = JSON.parse(readFileSync(dbbench, 'utf8').split('\n')[0]);
    const sql = (answer: string) => [
      'Action: Operation\n```sql\nSELECT Representative FROM `US Ambassadors and Envoy Extraordinary to Colombia` WHERE `Appointed by` = \'Grover Cleveland\';\n```',
      `Action: Answer\nFinal Answer: ${answer}`,
    ];
    const [right, wrong] = runReplay([
      JSON.stringify({ env: 'db', task: entry, turns: sql(JSON.stringify(entry.label)) }),
      JSON.stringify({ env: 'db', task: entry, turns: sql('["1999"]') }),
    ]);
    expect(right).toMatchObject({ reward: 1, done: true, steps: 2 });
    expect((right.observations as string[])[0]).toContain('Dabney H. Maury');
    expect(wrong).toMatchObject({ reward: 0, done: true, steps: 2 });
  }, 60_000);

  test('records the mode: strict ends on a reply the original could not parse, lenient reminds and goes on', () => {
    const entry = JSON.parse(readFileSync(dbbench, 'utf8').split('\n')[0]);
    const turns = ['I do not know.', `Action: Answer\nFinal Answer: ${JSON.stringify(entry.label)}`];
    const [strict, lenient, bad] = runReplay([
      JSON.stringify({ env: 'db', task: entry, turns, mode: 'strict' }),
      JSON.stringify({ env: 'db', task: entry, turns }),
      JSON.stringify({ env: 'db', task: entry, turns, mode: 'exact' }),
    ]);
    expect(strict).toMatchObject({ mode: 'strict', reason: 'format-error', reward: 0, done: true, steps: 1 });
    expect(lenient).toMatchObject({ mode: 'lenient', reason: 'final', reward: 1, done: true, steps: 2 });
    expect(bad).toMatchObject({ line: 3, error: '"mode" must be "strict" or "lenient"' });
  }, 60_000);
});
