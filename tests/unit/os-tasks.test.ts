/**
 * The OS tasks' data and rules, without the Linux guest (the episodes themselves run in os-vm.test.ts): the
 * gallery's AgentBench dev tasks equal what the fixture gives, every task has its expert, the project's own task
 * format becomes an AgentBench problem, the check chain passes answers on as AgentBench's `_judge` does, and the
 * replay CLI's AgentBench file handling says what is wrong, and the terminal view reads as text.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDevTasks } from '../../scripts/lib/os-dev-tasks';
import { defaultScriptDir, isAgentBenchOsFile, resolveTask, scriptReader } from '../../scripts/lib/replay-input';
import { judge, parseAgentBenchOsProblem, type AgentBenchOsProblem, type OsScript } from '../../src/lib/tasks/os/agentbench';
import { agentBenchDev, devTaskId } from '../../src/lib/tasks/os/dev-tasks';
import { envModule } from '../../src/lib/tasks/os/index';
import { problemFromInline } from '../../src/lib/tasks/os/inline';
import { osTasks } from '../../src/lib/tasks/os/tasks';
import type { EnvModule } from '../../src/lib/tasks/types';
import { loadVmAssetsFromDisk } from '../../src/lib/runtimes/v86/assets-node';
import { MISSING_GUEST } from '../../src/lib/runtimes/v86/assets';
import { terminalText } from '../../src/lib/ui/agent/env-views';
import { SandboxClient } from '../../src/lib/sandbox/client';
import { DEFAULT_COMMAND_LIMIT_MS } from '../../src/lib/runtimes/v86/vm-shell';

const osModule = envModule as unknown as EnvModule;
const fixture = resolve(import.meta.dirname, '../fixtures/agentbench/os_interaction');

describe('OS task catalog', () => {
  it('carries the 26 AgentBench dev tasks as the fixture gives them (regenerate with `npm run catalog`)', () => {
    expect(agentBenchDev).toEqual(buildDevTasks());
    expect(agentBenchDev.tasks).toHaveLength(26);
    const raw = JSON.parse(readFileSync(join(fixture, 'data/dev.json'), 'utf8'));
    for (const t of agentBenchDev.tasks) expect(t.problem.description).toBe(raw[t.index].description);
    // dev #3's check and example come from scripts/dev by `file:`.
    expect(agentBenchDev.tasks[3].problem.evaluation).toMatchObject({ check: [{ code: readFileSync(join(fixture, 'scripts/dev/check/0.sh'), 'utf8') }] });
  });

  it('lists the project tasks, then the dev tasks; each has an expert but the two no expert can pass', () => {
    expect(envModule.tasks.map((t) => t.id)).toEqual([...osTasks.map((t) => t.id), ...agentBenchDev.tasks.map((t) => devTaskId(t.index))]);
    const without = envModule.tasks.filter((t) => !envModule.experts[t.id]).map((t) => t.id);
    expect(without).toEqual([devTaskId(8), devTaskId(25)]);
    expect(envModule.experts[devTaskId(6)]).toEqual([
      'Think: I run the commands that answer this.\n\nAct: bash\n\n```bash\nls -a /home | grep "^\\." | wc -l\n```',
      'Think: The output gives the answer.\n\nAct: answer(8)',
    ]);
    expect(envModule.experts[devTaskId(3)].at(-1)).toMatch(/Act: finish$/);
  });
});

describe('the project task format as an AgentBench problem', () => {
  const byId = (id: string) => osTasks.find((t) => t.id === id)!.data;

  it('files and init become one init script that writes them; compare becomes the example + match check chain', () => {
    const p = problemFromInline(byId('os-echo-love'));
    expect(p.init).toHaveLength(2);
    expect(p.init[0].code).toContain(`mkdir -p "$(dirname '/root/projects/tools/v2/bin/echo-love')" && printf '%s' '#!/bin/bash\necho "I love you"\n' > '/root/projects/tools/v2/bin/echo-love'`);
    expect(p.init[1].code).toBe(byId('os-echo-love').init);
    expect(p.evaluation).toEqual({ match: { answer: '/root/projects/tools/v2/bin', strip: true } });
    const counted = problemFromInline(byId('os-count-users'));
    expect(counted.evaluation).toEqual({
      check: [null, { language: 'python', code: readFileSync(join(fixture, 'scripts/dev/check/integer-match.py'), 'utf8') }],
      example: { language: 'bash', code: 'getent passwd | wc -l' },
    });
  });

  it("a quote in a file's content survives the init script's quoting", () => {
    const p = problemFromInline({ description: 'd', files: { "/root/it's": "don't\n" }, evaluation: { match: 'x' } });
    expect(p.init[0].code).toBe(`mkdir -p "$(dirname '/root/it'\\''s')" && printf '%s' 'don'\\''t\n' > '/root/it'\\''s'`);
  });

  it('a check script gets the answer as $ANSWER, unset after finish', () => {
    const p = problemFromInline({ description: 'd', files: {}, evaluation: { check: '[ "$ANSWER" = 4 ]' } });
    expect(p.init).toEqual([]);
    expect(p.evaluation).toEqual({ check: [{ language: 'bash', code: '[ "$1" = None ] || ANSWER=$1\n[ "$ANSWER" = 4 ]' }] });
  });

  it('says what an inline task lacks', () => {
    expect(() => problemFromInline({ description: 'd' } as never)).toThrow(/needs "description", "files" \(path -> content\) and "evaluation"/);
  });
});

describe('the check chain (agentbench-task.py _judge)', () => {
  const problem = (evaluation: AgentBenchOsProblem['evaluation']): AgentBenchOsProblem => ({ description: 'd', init: [], evaluation, labels: [] });
  const py = (code: string): OsScript => ({ language: 'python', code });

  it('starts with str(answer), appends each output, and stops at the first failing script', async () => {
    const calls: string[][] = [];
    const example: OsScript = { language: 'bash', code: 'example' };
    const run = async (s: OsScript, params: string[]) => {
      calls.push([s.code, ...params]);
      return s.code === 'example' ? { output: '7\n', exitCode: 0 } : { output: '', exitCode: s.code === 'fail' ? 1 : 0 };
    };
    expect(await judge(problem({ check: [null, py('match')], example }), '7', run)).toBe(true);
    expect(calls).toEqual([['example', '7'], ['match', '7', '7\n']]);
    calls.length = 0;
    expect(await judge(problem({ check: [py('fail'), py('never')] }), undefined, run)).toBe(false);
    expect(calls).toEqual([['fail', 'None']]);
  });

  it('match compares the answer, stripped when asked; a regex matches anywhere', async () => {
    const none = async () => ({ output: '', exitCode: 0 });
    expect(await judge(problem({ match: { answer: 'log', strip: true } }), ' log\n', none)).toBe(true);
    expect(await judge(problem({ match: { answer: 'log', strip: false } }), ' log', none)).toBe(false);
    expect(await judge(problem({ match: { regex: '^\\d+$', strip: true } }), ' 12 ', none)).toBe(true);
    expect(await judge(problem({ match: { answer: 'log', strip: true } }), undefined, none)).toBe(false);
  });
});

describe('AgentBench OS files for npm run replay', () => {
  it('tells a problem file from replay lines', () => {
    const dev = readFileSync(join(fixture, 'data/dev.json'), 'utf8');
    expect(isAgentBenchOsFile(dev)).toBe(true);
    expect(isAgentBenchOsFile(JSON.stringify({ description: 'd', evaluation: { match: '1' } }))).toBe(true);
    expect(isAgentBenchOsFile('{"env": "os", "task": "os-hidden-files", "turns": []}')).toBe(false);
    expect(isAgentBenchOsFile('{"env": "os"}\n{"env": "db"}')).toBe(false);
  });

  it("finds the script folder by AgentBench's layout", () => {
    expect(defaultScriptDir('/a/os_interaction/data/dev.json')).toBe('/a/os_interaction/scripts/dev');
    expect(defaultScriptDir('/a/os_interaction/data/3/x.json')).toBe('/a/os_interaction/scripts/3');
  });

  it('takes an AgentBench problem inline in a replay line, its file: scripts from --scripts, and says what is missing', () => {
    const raw = JSON.parse(readFileSync(join(fixture, 'data/dev.json'), 'utf8'))[25];
    const task = resolveTask(osModule, raw, 4, scriptReader(join(fixture, 'scripts/dev')));
    expect(task).toMatchObject({ id: 'line-4', env: 'os', data: parseAgentBenchOsProblem(raw, scriptReader(join(fixture, 'scripts/dev')), 'x') });
    expect(() => resolveTask(osModule, raw, 4)).toThrow(/names the script file "check\/integer-match\.py": give its folder with --scripts DIR/);
    const empty = mkdtempSync(join(tmpdir(), 'scripts-'));
    expect(() => resolveTask(osModule, raw, 4, scriptReader(empty))).toThrow(/script file "check\/integer-match\.py" is not in/);
  });
});

describe('without the guest', () => {
  it('the OS environment says how to build it', async () => {
    await expect(loadVmAssetsFromDisk(mkdtempSync(join(tmpdir(), 'no-vm-')))).rejects.toThrow(MISSING_GUEST);
  });
});

describe('the terminal view', () => {
  it('reads the raw session as text: no escape codes, LF line ends', () => {
    const raw = '\x1b]0;root@a6f1c0e4d2b9: /\x07root@a6f1c0e4d2b9:/# ls --color\r\n\x1b[01;34mhome\x1b[0m\r\n';
    expect(terminalText(raw)).toBe('root@a6f1c0e4d2b9:/# ls --color\nhome\n');
  });
});

describe('the sandbox budget of an OS step', () => {
  it('leaves the guest its own 30 s command limit, Ctrl-C and restore; other environments keep 3 s', () => {
    expect(DEFAULT_COMMAND_LIMIT_MS).toBe(30_000);
    const os = new SandboxClient('os', { spawn: () => ({ endpoint: {} as never, terminate: async () => {} }) });
    expect(os.stepTimeoutMs).toBeGreaterThan(DEFAULT_COMMAND_LIMIT_MS * 3);
    expect(new SandboxClient('db', { spawn: () => ({ endpoint: {} as never, terminate: async () => {} }) }).stepTimeoutMs).toBe(3000);
  });
});
