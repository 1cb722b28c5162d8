/**
 * The 26 AgentBench OS dev tasks, loaded as AgentBench ships them, run on the real Linux guest (v86 in
 * Node): the example solutions reach reward 1 through the harness's check chain, and runaway commands end
 * within the step limit with the episode going on. Needs the guest (`npm run build:guest`).
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

/** Our solutions for the match problems, which ship no example (the harness compares the answer only). */
const changedFiles =
  "python3 -c \"import os,time\nf=lambda:{os.path.join(d,n):os.path.getsize(os.path.join(d,n)) for d,_,ns in os.walk('/root') for n in ns}\na=f();time.sleep(2.5);b=f()\nprint(*sorted(os.path.basename(k) for k in b if b[k]!=a.get(k)))\"";
const interval =
  "python3 -c \"import os,time\ng=lambda:os.path.getsize('/root/log')\ns=g()\nwhile g()==s: time.sleep(0.05)\nt=time.time();s=g()\nwhile g()==s: time.sleep(0.05)\nprint(round(time.time()-t))\"";
const OWN_SOLUTIONS: Record<number, string> = {
  0: interval,
  1: changedFiles,
  2: changedFiles,
  4: interval,
  24: "chmod 777 /home/jack/test && su - jack -c '~/test'",
};

function task(i: number, p: AgentBenchOsProblem): OsVmTask {
  return { id: `agentbench-os-dev-${i}`, env: 'os', title: p.description.slice(0, 60), data: p };
}

describe('AgentBench OS dev tasks on the Linux guest', () => {
  let env: OsVmEnvironment;
  beforeAll(() => {
    useVmAssetsFromDisk();
    env = new OsVmEnvironment({ commandLimitMs: 20_000 });
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
    it(`dev #${i}: the example solution scores ${expected}`, { timeout: 120_000 }, async () => {
      const intro = await env.reset(task(i, p));
      expect(intro).toBe(p.description);
      const ev = p.evaluation;
      const answerFromOutput = 'check' in ev ? ev.check.includes(null) : true;
      const command = OWN_SOLUTIONS[i] ?? ('check' in ev ? ev.example?.code : p.example?.code);
      expect(command, `dev #${i} has a solution`).toBeTruthy();
      const run = await env.step({ type: 'tool', name: 'bash', args: command! });
      expect(run.done).toBe(false);
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

describe('runaway commands end within the limit and the episode goes on', () => {
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
