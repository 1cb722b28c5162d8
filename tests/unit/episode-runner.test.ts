/**
 * The UI's episode runner and trace over the real agent loop, real protocol parsers and real environments
 * (in-process here; the app runs them in the sandbox worker): expert replays through the ScriptedEngine,
 * stop and reset mid-episode, and how actions read in the trace.
 */
import { describe, expect, it } from 'vitest';
import { EpisodeRunner } from '../../src/lib/ui/agent/episode-runner.svelte';
import { ScriptedEngine } from '../../src/lib/agent/scripted-engine';
import { describeAction, TraceBuilder } from '../../src/lib/ui/agent/trace';
import { freeRequestTask } from '../../src/lib/ui/agent/free-request';
import { getProtocol } from '../../src/lib/agent/protocols/index';
import type { ToolSpec } from '../../src/lib/agent/protocols/types';
import { runEpisode } from '../../src/lib/agent/loop';
import { loadEnvModule } from '../../src/lib/tasks/registry';
import { taskCatalog } from '../../src/lib/tasks/catalog';
import type { EnvId } from '../../src/lib/tasks/types';

async function expertSetup(envId: EnvId, index = 0) {
  const module = await loadEnvModule(envId);
  const task = module.tasks[index];
  const env = await module.create();
  const turns = module.experts[task.id];
  const tools = (task.data as { tools?: ToolSpec[] } | undefined)?.tools;
  return { module, task, env, turns, tools, protocol: getProtocol(module.protocolId) };
}

describe('EpisodeRunner with an expert replay', () => {
  // OS experts run on the Linux guest (os-vm.test.ts); the first case here also loads sql.js's wasm.
  it.each<EnvId>(['db', 'household', 'tools'])('%s: the first task replays to success with every step kind, the task text and a view', async (envId) => {
    const { task, env, turns, tools, protocol } = await expertSetup(envId);
    const runner = new EpisodeRunner();
    const outcome = await runner.run(new ScriptedEngine(turns, { charsPerSecond: Infinity }), env, protocol, { task, tools, contextLength: Number.MAX_SAFE_INTEGER });
    expect(outcome).toMatchObject({ success: true, reward: 1, steps: turns.length, mode: 'lenient' });
    expect(runner.outcome).toEqual(outcome);
    expect(runner.running).toBe(false);
    expect(new Set(runner.steps.map((s) => s.kind))).toEqual(new Set(['thought', 'action', 'observation', 'final']));
    expect(runner.steps.at(-1)).toMatchObject({ kind: 'final', success: true, reward: 1 });
    expect(runner.steps.filter((s) => s.kind === 'action')).toHaveLength(turns.length);
    expect(runner.turn).toBe(turns.length);
    expect(runner.taskText.length).toBeGreaterThan(10);
    if (env.view) expect(runner.view?.kind).toBe((await env.view()).kind);
  }, 60_000);

  it('a trajectory that runs out of turns before the task ends is an engine error, not a success', async () => {
    const { task, env, turns, protocol } = await expertSetup('db');
    const runner = new EpisodeRunner();
    const outcome = await runner.run(new ScriptedEngine(turns.slice(0, -1), { charsPerSecond: Infinity }), env, protocol, { task });
    expect(outcome).toMatchObject({ success: false, reason: 'error' });
    expect(runner.steps.find((s) => s.kind === 'error')).toMatchObject({ text: expect.stringContaining('has only') });
  });

  it('stop ends a streaming replay as interrupted; reset mid-run clears the trace and the old run writes nothing more', async () => {
    const { task, env, turns, protocol } = await expertSetup('db');
    const runner = new EpisodeRunner();
    const slow = () => new ScriptedEngine(turns, { charsPerSecond: 200 });
    const running = runner.run(slow(), env, protocol, { task });
    await expect.poll(() => runner.streaming.length).toBeGreaterThan(0);
    runner.stop();
    expect(await running).toMatchObject({ reason: 'interrupted', success: false });
    expect(runner.steps.at(-1)).toMatchObject({ kind: 'final', reason: 'interrupted' });

    const second = runner.run(slow(), env, protocol, { task });
    await expect.poll(() => runner.streaming.length).toBeGreaterThan(0);
    runner.reset();
    await second;
    expect(runner.steps).toEqual([]);
    expect(runner.outcome).toBeNull();
    expect(runner.running).toBe(false);
  });
});

describe('TraceBuilder', () => {
  it('a KG answer names the entities its variable stands for, not just #N', async () => {
    const { task, env, turns, protocol } = await expertSetup('kg');
    const trace = new TraceBuilder();
    for await (const event of runEpisode(new ScriptedEngine(turns, { charsPerSecond: Infinity }), env, protocol, { task })) trace.apply(event);
    const final = trace.steps.at(-1);
    expect(final).toMatchObject({ kind: 'final', success: true });
    expect((final as { answer: string }).answer).toMatch(/^#\d+ = \S/);
  });

  it('a stopped turn keeps the text written so far as a step', async () => {
    const { task, env, protocol } = await expertSetup('db');
    const trace = new TraceBuilder();
    const controller = new AbortController();
    const engine = new ScriptedEngine(['Think: I will look around first, slowly and at length.'], { charsPerSecond: 200 });
    for await (const event of runEpisode(engine, env, protocol, { task, signal: controller.signal })) {
      if (event.type === 'token' && event.text.length > 3) controller.abort();
      trace.apply(event);
    }
    const stopped = trace.steps.find((s) => s.kind === 'stopped');
    expect(stopped).toMatchObject({ kind: 'stopped', turn: 1 });
    expect((stopped as { text: string }).text.length).toBeGreaterThan(3);
    expect(trace.outcome?.reason).toBe('interrupted');
  });

  it('folds a parse error into the observation the model is told, and keeps the final answer for the result', async () => {
    const { task, env, turns, protocol } = await expertSetup('db');
    const trace = new TraceBuilder();
    const engine = new ScriptedEngine(['I will just guess.', ...turns], { charsPerSecond: Infinity });
    for await (const event of runEpisode(engine, env, protocol, { task })) trace.apply(event);
    const first = trace.steps.find((s) => s.kind === 'observation');
    expect(first).toMatchObject({ turn: 1, parseError: expect.any(String) });
    expect(trace.steps.at(-1)).toMatchObject({ kind: 'final', success: true, answer: expect.any(String) });
    expect(trace.outcome).toMatchObject({ steps: turns.length + 1, success: true });
  });
});

describe('describeAction', () => {
  it('shows code actions as highlighted code and other calls in their own syntax', () => {
    expect(describeAction({ type: 'tool', name: 'bash', args: 'ls /' })).toEqual({ label: 'bash', code: 'ls /', language: 'bash' });
    expect(describeAction({ type: 'tool', name: 'sql', args: 'SELECT 1' })).toEqual({ label: 'sql', code: 'SELECT 1', language: 'sql' });
    expect(describeAction({ type: 'tool', name: 'JavaScript', args: { code: '1+1' } })).toEqual({ label: 'JavaScript', code: '1+1', language: 'javascript' });
    expect(describeAction({ type: 'tool', name: 'get_relations', args: ['Barack Obama'] }).code).toBe('get_relations(Barack Obama)');
    expect(describeAction({ type: 'tool', name: 'Calculator', args: { expression: '2^10' } })).toEqual({ label: 'Calculator', code: '{\n  "expression": "2^10"\n}', language: 'json' });
    expect(describeAction({ type: 'final', answer: ['a', 'b'] })).toMatchObject({ label: 'answer', code: 'a, b' });
    expect(describeAction({ type: 'finish' }).label).toBe('finish');
  });
});

describe('free requests', () => {
  it('become a Tools task with only the picked tools; the environment records the answer without scoring it', async () => {
    const picked = taskCatalog.tools.filter((t) => t.name === 'Calculator');
    const task = freeRequestTask('  What is 2+2?  ', picked);
    expect(task.data).toEqual({ request: 'What is 2+2?', tools: picked, expected: { open: true } });
    const env = await (await loadEnvModule('tools')).create();
    await env.reset(task);
    expect(await env.step({ type: 'tool', name: 'JavaScript', args: { code: '1' } })).toMatchObject({ observation: expect.stringContaining('no tool named "JavaScript"') });
    expect(await env.step({ type: 'final', answer: '4' })).toEqual({ observation: expect.stringContaining('no reference answer'), done: true, reward: 0 });
  });

  it('an empty or oversized request is refused with what to do', () => {
    expect(() => freeRequestTask('   ', [])).toThrow(/Type a request first/);
    expect(() => freeRequestTask('x'.repeat(5000), [])).toThrow(/5000 characters; keep it under 2000/);
  });
});
