/**
 * One executor, one record: `npm run replay` and the app's episode runner both run `runEpisode` and produce the
 * same record for every expert trajectory; a record written to a file and opened again replays to the same trace
 * and reward; the loop's record carries what the issue asks of it (raw and stripped text, the parsed action,
 * reward and done per step, the model and sampling) and the pairs and transcript derive from it.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { getProtocol } from '../../src/lib/agent/protocols/index';
import { ScriptedEngine } from '../../src/lib/agent/scripted-engine';
import { replayPlan } from '../../src/lib/agent/replay';
import { pairsOf, parseRecord, RecordError, serializeRecord, summarize, transcriptOf, withoutClock } from '../../src/lib/agent/record';
import { ASSISTANT_CLOSE } from '../../src/lib/agent/template';
import { EpisodeRunner } from '../../src/lib/ui/agent/episode-runner.svelte';
import { traceOf } from '../../src/lib/ui/agent/trace';
import { envLoaders, loadEnvModule } from '../../src/lib/tasks/registry';
import { taskTools, type EnvId, type TaskSpec } from '../../src/lib/tasks/types';

const root = resolve(import.meta.dirname, '../..');

describe('episode record', () => {
  it('npm run replay and the app runner give identical records for every expert trajectory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'records-'));
    const input: string[] = [];
    const expected: { env: EnvId; task: TaskSpec; turns: string[] }[] = [];
    // OS tasks run on the Linux guest: their experts replay in tests/unit/os-vm.test.ts (OS_VM_TESTS=1).
    for (const env of (Object.keys(envLoaders) as EnvId[]).filter((e) => e !== 'os')) {
      const module = await loadEnvModule(env);
      for (const task of module.tasks) {
        input.push(JSON.stringify({ env, task: task.id, turns: module.experts[task.id] }));
        expected.push({ env, task, turns: module.experts[task.id] });
      }
    }
    writeFileSync(join(dir, 'in.jsonl'), input.join('\n'));
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/replay.ts', join(dir, 'in.jsonl'), '--records', join(dir, 'out')], { cwd: root, encoding: 'utf8' });
    const files = readdirSync(join(dir, 'out')).sort();
    expect(files).toHaveLength(expected.length);
    const summaries = out.trim().split('\n').map((l) => JSON.parse(l));

    const runner = new EpisodeRunner();
    for (const [i, { env, task, turns }] of expected.entries()) {
      const module = await loadEnvModule(env);
      const outcome = await runner.replay(await module.create(), getProtocol(module.protocolId), turns, { task, tools: taskTools(task) });
      const cli = parseRecord(readFileSync(join(dir, 'out', files[i]), 'utf8'));
      expect(withoutClock(cli), task.id).toEqual(withoutClock(runner.record));
      expect(summaries[i], task.id).toEqual(summarize(runner.record));
      expect(outcome, task.id).toMatchObject({ success: true, reward: 1 });
    }
  }, 240_000);

  it('a downloaded record opens and replays to the same trace and reward, parse errors and stop strings included', async () => {
    const module = await loadEnvModule('db');
    const task = module.tasks[0];
    const expert = module.experts[task.id];
    const protocol = getProtocol('db');
    // A "model" whose first reply breaks the format and whose others end on a stop string the engine left in.
    const replies = ['I think I know.', ...expert.map((t) => t + ASSISTANT_CLOSE)];
    const runner = new EpisodeRunner();
    await runner.run(new ScriptedEngine(replies, { charsPerSecond: Infinity }), await module.create(), protocol, {
      task,
      model: { engine: 'local', id: 'tiny-random-agent-flan', dtype: 'q4', device: 'wasm' },
      sampling: { temperature: 0, topP: 1, maxNewTokens: 64 },
    });
    const original = runner.record;
    expect(original.filter((e) => e.type === 'error').map((e) => e.type === 'error' && e.kind)).toEqual(['parse']);

    const opened = parseRecord(serializeRecord(original));
    expect(opened.at(-1)).toEqual(original.at(-1));
    const plan = replayPlan(opened);
    expect(plan.turns).toEqual(replies);
    const again = new EpisodeRunner();
    await again.replay(await module.create(), protocol, plan.turns, plan.options);
    expect(traceOf(again.record)).toEqual(traceOf(original));
    expect(summarize(again.record)).toMatchObject({ reward: summarize(original).reward, success: true });
    expect(traceOf(again.record).steps).toEqual(runner.steps);
  });

  it('records raw and stripped text, the action, reward and done, model and sampling; pairs and transcript derive from it', async () => {
    const module = await loadEnvModule('db');
    const task = module.tasks[0];
    const protocol = getProtocol('db');
    const [first, ...rest] = module.experts[task.id];
    const stop = ASSISTANT_CLOSE;
    const runner = new EpisodeRunner();
    await runner.run(new ScriptedEngine([first + stop, ...rest], { charsPerSecond: Infinity }), await module.create(), protocol, {
      task,
      mode: 'strict',
      model: { engine: 'tgi', id: 'agent-flan-7b' },
      sampling: { temperature: 0.1, topP: 0.8, maxNewTokens: 256, seed: 7 },
    });
    const record = runner.record;
    expect(record[0]).toMatchObject({ type: 'start', env: 'db', task: { id: task.id }, protocol: 'db', mode: 'strict', model: { engine: 'tgi', id: 'agent-flan-7b' }, sampling: { temperature: 0.1, topP: 0.8, maxNewTokens: 256, seed: 7 } });
    const reply = record.find((e) => e.type === 'reply')!;
    expect(reply).toMatchObject({ turn: 1, raw: first + stop, text: first, stopReason: 'eos' });
    expect(record.find((e) => e.type === 'action')).toMatchObject({ turn: 1, action: { type: 'tool', name: 'sql' } });
    const observations = record.filter((e) => e.type === 'observation');
    expect(observations.at(-1)).toMatchObject({ done: true, reward: 1, source: 'env' });
    expect(record.at(-1)).toMatchObject({ type: 'done', mode: 'strict', reward: 1 });
    expect(pairsOf(record)[0]).toEqual({ assistant: first, observation: observations[0].type === 'observation' && observations[0].text });
    const done = record.at(-1)!;
    expect(done.type === 'done' && done.transcript).toEqual(transcriptOf(record));
    expect(serializeRecord(record)).not.toContain('"transcript"');
  });

  it('says what is wrong with a file that is not a record', () => {
    expect(() => parseRecord('{"type":"start","record":1}\nnot json')).toThrow(/line 2 is not JSON/);
    expect(() => parseRecord('{"type":"reply"}')).toThrow(/first line must be the "start" event/);
    expect(() => parseRecord('{"type":"start","record":9}')).toThrow(/version 9 is not supported/);
    expect(() => parseRecord('{"hello":1}')).toThrow(RecordError);
  });
});

