/**
 * The 26 AgentBench OS dev tasks, loaded as AgentBench ships them, run on the real Linux guest (v86 in
 * Node): the example solutions reach reward 1 through the harness's check chain, and runaway commands end
 * within the step limit with the episode going on. Needs the guest (`npm run build:guest`) and minutes of
 * emulation, so it runs only with OS_VM_TESTS=1 (`OS_VM_TESTS=1 npx vitest run --project unit tests/unit/os-vm.test.ts`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAgentBenchOsFile, type AgentBenchOsProblem } from '../../src/lib/tasks/os/agentbench';
import { OsVmEnvironment, type OsVmTask } from '../../src/lib/tasks/os/vm-env';
import { useVmAssetsFromDisk } from '../../src/lib/runtimes/v86/assets-node';

const root = 'tests/fixtures/agentbench/os_interaction';
const problems = parseAgentBenchOsFile(readFileSync(join(root, 'data/dev.json'), 'utf8'), 'dev.json', (p) =>
  readFileSync(join(root, 'scripts/dev', p), 'utf8'),
);

/** The solution typed for each problem (the example script, or ours where the problem ships none). */
const SOLUTIONS = (JSON.parse(readFileSync('tests/unit/os-dev-solutions.json', 'utf8')) as { solutions: Record<string, string> }).solutions;
/** What real bash printed for the same commands on the same init (scripts/guest/reference.py, in a chroot). */
const REFERENCE = JSON.parse(readFileSync(join(root, 'reference-outputs.json'), 'utf8')) as Record<string, string>;
/**
 * Where the reference cannot equal the guest: the CPU count (#13) and threads-max (#23) are the machine's, #25's
 * log comes from bash's $RANDOM (seeded per process), and #21's `find .` from / meets the host's /proc in the chroot.
 */
const MACHINE_SPECIFIC = new Set([13, 21, 23, 25]);

function task(i: number, p: AgentBenchOsProblem): OsVmTask {
  return { id: `agentbench-os-dev-${i}`, env: 'os', title: p.description.slice(0, 60), data: p };
}

const vmTests = process.env.OS_VM_TESTS === '1';

describe.runIf(vmTests)('AgentBench OS dev tasks on the Linux guest', () => {
  let env: OsVmEnvironment;
  beforeAll(() => {
    useVmAssetsFromDisk();
    env = new OsVmEnvironment({ commandLimitMs: 180_000 });
  });
  afterAll(() => env.dispose());

  it('loads all 26 problems with their scripts', () => {
    expect(problems).toHaveLength(26);
    expect(problems[25].init[0].code).toContain('/usr/stock.log');
    expect(problems[6].evaluation).toMatchObject({ check: [null, { language: 'python' }] });
  });

  for (const [i, p] of problems.entries()) {
    // size-match.py cannot pass on its own example: `du -sh` prints "4.0K" and int("4.0") raises (see README).
    const expected = i === 8 ? 0 : 1;
    it(`dev #${i}: the example solution scores ${expected}`, { timeout: 900_000 }, async () => {
      const intro = await env.reset(task(i, p));
      expect(intro).toBe(p.description);
      const ev = p.evaluation;
      const answerFromOutput = 'check' in ev ? ev.check.includes(null) : true;
      const run = await env.step({ type: 'tool', name: 'bash', args: SOLUTIONS[i] });
      expect(run.done).toBe(false);
      if (!MACHINE_SPECIFIC.has(i)) expect(run.observation).toBe(REFERENCE[i]);
      const result = await env.step(answerFromOutput ? { type: 'final', answer: run.observation.trim() } : { type: 'finish' });
      expect({ i, reward: result.reward, output: run.observation }).toMatchObject({ i, reward: expected });
    });
  }

  it('a wrong answer fails the check chain', { timeout: 60_000 }, async () => {
    await env.reset(task(17, problems[17]));
    expect((await env.step({ type: 'final', answer: '99999' })).reward).toBe(0);
  });

  it('is root in / with a container-like base system', { timeout: 60_000 }, async () => {
    await env.reset(task(13, problems[13]));
    const r = await env.step({ type: 'tool', name: 'bash', args: 'whoami; pwd; id; ls -ld /tmp | cut -c1-10; getent passwd root; python3 -c "print(6*7)"' });
    expect(r.observation).toBe('root\n/\nuid=0(root) gid=0(root) groups=0(root)\ndrwxrwxrwt\nroot:x:0:0:root:/root:/bin/bash\n42\n');
  });
});

describe.runIf(vmTests)('runaway commands end within the limit and the episode goes on', () => {
  let env: OsVmEnvironment;
  beforeAll(() => {
    useVmAssetsFromDisk();
    env = new OsVmEnvironment({ commandLimitMs: 4000 });
  });
  afterAll(() => env.dispose());

  const runaways: [string, string][] = [
    ['sleep', 'sleep 1000'],
    ['busy loop', 'while true; do :; done'],
    ['output flood', 'yes'],
    ['disk fill', 'yes > /tmp/f'],
    ['fork bomb', ':(){ :|:& };:'],
  ];
  for (const [name, command] of runaways) {
    it(name, { timeout: 90_000 }, async () => {
      await env.reset(task(17, problems[17]));
      await env.step({ type: 'tool', name: 'bash', args: 'cd /home && X=kept' });
      const r = await env.step({ type: 'tool', name: 'bash', args: command });
      expect(r.done).toBe(false);
      expect(r.observation).toMatch(/ran longer than 4 s/);
      const after = await env.step({ type: 'tool', name: 'bash', args: 'echo "$X $PWD"' });
      expect(after.observation).toBe('kept /home\n');
    });
  }
});
