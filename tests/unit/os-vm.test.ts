/**
 * The OS environment on the real Linux guest (v86 in Node): the 26 AgentBench dev tasks loaded as AgentBench ships
 * them reach reward 1 with their example solutions and print what real bash prints; every OS task's "Watch the
 * expert" reaches reward 1 through the agent loop; runaway commands end within the step limit with the episode going
 * on; the sandbox worker's watchdog restores the guest; there is no network device; `npm run replay` takes an
 * AgentBench problem file as-is. Needs the guest (`npm run build:guest`) and minutes of emulation, so it runs only
 * with OS_VM_TESTS=1 (`OS_VM_TESTS=1 npx vitest run --project unit tests/unit/os-vm.test.ts`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAgentBenchOsFile } from '../../src/lib/tasks/os/agentbench';
import { agentBenchDev, devTaskId } from '../../src/lib/tasks/os/dev-tasks';
import { envModule } from '../../src/lib/tasks/os/index';
import { OsVmEnvironment, type OsVmTask } from '../../src/lib/tasks/os/vm-env';
import { useVmAssetsFromDisk } from '../../src/lib/runtimes/v86/assets-node';
import { getProtocol } from '../../src/lib/agent/protocols/index';
import { replayTurns } from '../../src/lib/agent/replay';
import { summarize } from '../../src/lib/agent/record';
import { SandboxClient } from '../../src/lib/sandbox/client';
import { spawnNodeSandboxWorker } from '../../src/lib/sandbox/node/spawn';
import { OS_VM_TESTS } from '../support/guest';

const repo = resolve(import.meta.dirname, '../..');
const fixture = join(repo, 'tests/fixtures/agentbench/os_interaction');
/** Parsed here from the fixture, not from the app's generated copy. */
const problems = parseAgentBenchOsFile(readFileSync(join(fixture, 'data/dev.json'), 'utf8'), 'dev.json', (p) => readFileSync(join(fixture, 'scripts/dev', p), 'utf8'));
/** What real bash printed for the same commands on the same init (scripts/guest/reference.py, in a chroot). */
const REFERENCE = JSON.parse(readFileSync(join(fixture, 'reference-outputs.json'), 'utf8')) as Record<string, string>;
/**
 * Where the reference cannot equal the guest: the CPU count (#13) and threads-max (#23) are the machine's, #25's
 * log comes from bash's $RANDOM (seeded per process), and #21's `find .` from / meets the host's /proc in the chroot.
 */
const MACHINE_SPECIFIC = new Set([13, 21, 23, 25]);

const task = (id: string): OsVmTask => envModule.tasks.find((t) => t.id === id)!;
const bash = (args: string) => ({ type: 'tool' as const, name: 'bash', args });


/** One guest machine for a describe block, with the given per-command limit. */
function vmEnvironment(commandLimitMs: number): OsVmEnvironment {
  const env = new OsVmEnvironment({ commandLimitMs });
  beforeAll(() => useVmAssetsFromDisk());
  afterAll(() => env.dispose());
  return env;
}

describe.runIf(OS_VM_TESTS)('AgentBench OS dev tasks on the Linux guest', () => {
  const env = vmEnvironment(180_000);

  it('the gallery carries all 26 problems as the fixture parses them', () => {
    expect(problems).toHaveLength(26);
    expect(agentBenchDev.tasks.map((t) => t.problem)).toEqual(problems);
    expect(problems[25].init[0].code).toContain('/usr/stock.log');
    expect(problems[6].evaluation).toMatchObject({ check: [null, { language: 'python' }] });
  });

  for (const t of agentBenchDev.tasks) {
    const i = t.index;
    // size-match.py cannot pass on its own example: `du -sh` prints "4.0K" and int("4.0") raises (see README).
    const expected = i === 8 ? 0 : 1;
    it(`dev #${i}: the example solution prints what real bash prints and scores ${expected}`, { timeout: 900_000 }, async () => {
      const intro = await env.reset(task(devTaskId(i)));
      expect(intro).toBe(problems[i].description);
      const run = await env.step(bash(t.solution));
      expect(run.done).toBe(false);
      if (!MACHINE_SPECIFIC.has(i)) expect(run.observation).toBe(REFERENCE[i]);
      // The expert's answer where it has one (what "Watch the expert" gives), else what the solution printed.
      const answer = t.answer === undefined ? run.observation.trim() : t.answer;
      const result = await env.step(answer === null ? { type: 'finish' } : { type: 'final', answer });
      expect({ i, reward: result.reward, output: run.observation }).toMatchObject({ i, reward: expected });
    });
  }

  it('a wrong answer fails the check chain', { timeout: 120_000 }, async () => {
    await env.reset(task(devTaskId(17)));
    expect((await env.step({ type: 'final', answer: '99999' })).reward).toBe(0);
  });

  it('is root in / with a container-like base system; the session keeps its directory and variables', { timeout: 120_000 }, async () => {
    await env.reset(task(devTaskId(13)));
    const r = await env.step(bash('whoami; pwd; id; ls -ld /tmp | cut -c1-10; getent passwd root; python3 -c "print(6*7)"'));
    expect(r.observation).toBe('root\n/\nuid=0(root) gid=0(root) groups=0(root)\ndrwxrwxrwt\nroot:x:0:0:root:/root:/bin/bash\n42\n');
    await env.step(bash('cd /home && export GREETING=hi'));
    expect((await env.step(bash('pwd; echo $GREETING; ls /nope'))).observation).toBe("/home\nhi\nls: cannot access '/nope': No such file or directory\n");
    expect((await env.step(bash('true'))).observation).toBe('');
  });

  it('has no network device: only the loopback interface, and a connection out fails', { timeout: 120_000 }, async () => {
    await env.reset(task(devTaskId(13)));
    expect((await env.step(bash('ls /sys/class/net'))).observation).toBe('lo\n');
    const out = await env.step(bash('python3 -c "import socket; socket.create_connection((\'1.1.1.1\', 80), timeout=5)" 2>&1 | tail -n 1; command -v curl wget || echo none'));
    expect(out.observation).toMatch(/^OSError: \[Errno 101\] Network is unreachable\nnone\n$/);
  });
});

describe.runIf(OS_VM_TESTS)('a reset with the same episode seed repeats $RANDOM and starts the clock alike', () => {
  const env = vmEnvironment(180_000);
  const probe = bash('md5sum < /usr/stock.log; echo $RANDOM $RANDOM; date -u +%Y-%m-%d');
  const seen = async (seed: number) => {
    await env.reset(task(devTaskId(25)), { seed, startMs: Date.UTC(2024, 5, 1) });
    return (await env.step(probe)).observation;
  };

  it('dev #25: the same log (its init draws on $RANDOM) and the same session values; another seed differs', { timeout: 600_000 }, async () => {
    const first = await seen(7);
    expect(first).toMatch(/^[0-9a-f]{32} {2}-\n\d+ \d+\n2024-06-01\n$/);
    expect(await seen(7)).toBe(first);
    expect((await seen(8)).split('\n').slice(0, 2)).not.toEqual(first.split('\n').slice(0, 2));
  });
});

describe.runIf(OS_VM_TESTS)('"Watch the expert" on the Linux guest', () => {
  const env = vmEnvironment(180_000);

  // The project's own tasks, and two dev tasks for the dev experts' two endings (answer, finish).
  const ids = [...envModule.tasks.filter((t) => !t.id.startsWith('os-agentbench-dev-')).map((t) => t.id), devTaskId(6), devTaskId(3)];
  for (const id of ids) {
    it(`${id} replays to reward 1`, { timeout: 600_000 }, async () => {
      const turns = envModule.experts[id];
      expect(turns, id).toBeDefined();
      const record = await replayTurns(env, getProtocol('os'), turns, { task: task(id) });
      expect(summarize(record), id).toMatchObject({ reward: 1, success: true });
    });
  }
});

describe.runIf(OS_VM_TESTS)('runaway commands end within the limit and the episode goes on', () => {
  const env = vmEnvironment(4000);

  const LIMIT = /ran longer than 4 s/;
  const runaways: [string, string, RegExp][] = [
    ['sleep', 'sleep 1000', LIMIT],
    ['busy loop', 'while true; do :; done', LIMIT],
    ['output flood', 'yes', LIMIT],
    // The root file system is a RAM disk of half the guest's memory: it may fill before the limit.
    ['disk fill', 'yes > /tmp/f', /ran longer than 4 s|No space left on device/],
    // Real bash puts the bomb in the background at once ("[1] <pid>"); the next step meets the swamped machine.
    ['fork bomb', ':(){ :|:& };:', /ran longer than 4 s|^\[1\] \d+\n/],
  ];
  for (const [name, command, ended] of runaways) {
    it(name, { timeout: 300_000 }, async () => {
      await env.reset(task(devTaskId(17)));
      await env.step(bash('cd /home && X=kept'));
      const r = await env.step(bash(command));
      expect(r.done).toBe(false);
      expect(r.observation).toMatch(ended);
      const after = await env.step(bash('echo "$X $PWD"'));
      expect(after.observation).toMatch(/^kept \/home\n/);
    });
  }

  it('the default limit lets `sleep 3` and a 10 s find finish', { timeout: 180_000 }, async () => {
    const roomy = new OsVmEnvironment();
    try {
      await roomy.reset(task(devTaskId(17)));
      expect((await roomy.step(bash('sleep 3; echo slept'))).observation).toBe('slept\n');
      const find = await roomy.step(bash('s=$(date +%s); while [ $(( $(date +%s) - s )) -lt 10 ]; do find / -xdev -name "*.py" > /dev/null; done; echo found'));
      expect(find.observation).toBe('found\n');
    } finally {
      await roomy.dispose();
    }
  });
});

describe.runIf(OS_VM_TESTS)('the sandbox worker over the Linux guest', () => {
  it('a step past the watchdog: fresh worker, the guest restored by replay, files made before it kept', { timeout: 600_000 }, async () => {
    const sb = new SandboxClient('os', { spawn: spawnNodeSandboxWorker, stepTimeoutMs: 20_000 });
    try {
      await sb.reset(task('os-create-file'));
      await sb.step(bash("echo 'Hello, AgentBench' > /root/hello.txt && mkdir -p /root/work && cd /root/work"));
      // Past the worker's budget, inside the guest's own 30 s limit: the watchdog acts first.
      const hung = await sb.step(bash('touch /root/half-done && sleep 25'));
      expect(hung.observation).toMatch(/^Timeout: the action ran longer than 20 s and was stopped\. The environment is back in its state before the action\./);
      expect(sb.restarts).toBe(1);
      const check = await sb.step(bash('cat /root/hello.txt; pwd; ls /root/half-done 2>&1'));
      expect(check.observation).toMatch(/^Hello, AgentBench\n\/root\/work\n.*No such file/);
      expect((await sb.step({ type: 'finish' })).reward).toBe(1);
    } finally {
      sb.dispose();
    }
  });
});

describe.runIf(OS_VM_TESTS)('npm run replay takes an AgentBench OS problem file as shipped', () => {
  it('plays each problem’s example solution with the scripts its file: entries name', { timeout: 900_000 }, () => {
    const dev = JSON.parse(readFileSync(join(fixture, 'data/dev.json'), 'utf8'));
    const file = join(mkdtempSync(join(tmpdir(), 'agentbench-')), 'two.json');
    // #3: check/0.sh and example/0.sh by file:, ends with finish; #6: integer-match.py by file:, ends with an answer.
    writeFileSync(file, JSON.stringify([dev[3], dev[6]]));
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/replay.ts', file, '--scripts', join(fixture, 'scripts/dev')], { cwd: repo, encoding: 'utf8' });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toMatchObject([
      { env: 'os', task: 'two-0', reason: 'finish', reward: 1 },
      { env: 'os', task: 'two-1', reason: 'final', reward: 1 },
    ]);
    const missing = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/replay.ts', file, '--scripts', tmpdir()], { cwd: repo, encoding: 'utf8' });
    expect(JSON.parse(missing.trim())).toMatchObject({ error: expect.stringMatching(/script file "check\/0\.sh" is not in/) });
  });
});
