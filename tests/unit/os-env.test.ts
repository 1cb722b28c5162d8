import { describe, expect, it } from 'vitest';
import { envModule } from '../../src/lib/tasks/os/index';
import type { OsTask } from '../../src/lib/tasks/os/tasks';

const byId = (id: string) => envModule.tasks.find((t) => t.id === id) as OsTask;
const bash = (args: string) => ({ type: 'tool' as const, name: 'bash', args });

describe('OS environment (simulated bash)', () => {
  it('has at least 15 tasks, each with an expert trajectory, several adapted from AgentBench', () => {
    expect(envModule.tasks.length).toBeGreaterThanOrEqual(15);
    for (const t of envModule.tasks) expect(envModule.experts[t.id], t.id).toBeDefined();
    expect(envModule.tasks.filter((t) => (t as OsTask).data.adaptedFrom).length).toBeGreaterThanOrEqual(8);
  });

  it('reset returns the description and sets up the initial files and init script', async () => {
    const env = await envModule.create();
    expect(await env.reset(byId('os-echo-love'))).toMatch(/^I remember I had a directory for executables/);
    const probe = await env.step(bash('[ -x /root/projects/tools/v2/bin/echo-love ] && echo executable'));
    expect(probe.observation).toBe('executable\n');
  });

  it('the working directory and variables persist between actions like an interactive shell', async () => {
    const env = await envModule.create();
    await env.reset(byId('os-rename-txt'));
    await env.step(bash('cd /root/notes && export GREETING=hi'));
    expect((await env.step(bash('pwd; echo $GREETING'))).observation).toBe('/root/notes\nhi\n');
  });

  it('stderr is shown, empty output is an empty observation, and the episode goes on', async () => {
    const env = await envModule.create();
    await env.reset(byId('os-create-file'));
    expect((await env.step(bash('cat /nope'))).observation).toMatch(/No such file or directory/);
    expect(await env.step(bash('true'))).toEqual({ observation: '', done: false, reward: 0 });
  });

  it('there is no network and no host runtime: curl, wget, python, node are not available', async () => {
    const env = await envModule.create();
    await env.reset(byId('os-create-file'));
    for (const cmd of ['curl https://example.com', 'wget https://example.com', 'python3 -c 1', 'node -e 1']) {
      const r = await env.step(bash(cmd));
      expect(r.observation, cmd).toMatch(/command not found|not available/);
    }
  });

  it('a runaway loop is stopped by the shell\'s own limits with an error, and the next step works', async () => {
    const env = await envModule.create();
    await env.reset(byId('os-create-file'));
    const r = await env.step(bash('while true; do :; done'));
    expect(r.observation).toMatch(/too many commands|deadline/i);
    expect((await env.step(bash('echo ok'))).observation).toBe('ok\n');
  });

  it('wrong answers and unfinished work score 0', async () => {
    const env = await envModule.create();
    await env.reset(byId('os-hidden-files'));
    expect(await env.step({ type: 'final', answer: '8' })).toMatchObject({ done: true, reward: 0 });
    await env.reset(byId('os-echo-love'));
    expect((await env.step({ type: 'final', answer: '/root/projects/tools/notes' })).reward).toBe(0);
    await env.reset(byId('os-create-file'));
    expect((await env.step({ type: 'finish' })).reward).toBe(0);
    await env.reset(byId('os-create-file'));
    await env.step(bash("echo 'Hello, AgentBench!' > /root/hello.txt"));
    expect((await env.step({ type: 'finish' })).reward).toBe(0);
  });

  it('an answer-compared task accepts the right integer and is judged against the final state', async () => {
    const env = await envModule.create();
    await env.reset(byId('os-empty-files'));
    await env.step(bash('touch /home/another'));
    expect((await env.step({ type: 'final', answer: '3' })).reward).toBe(1);
  });
});
