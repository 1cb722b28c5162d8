/**
 * Every OS, DB, knowledge-graph, household, shop, wiki and tools expert, played through the real agent loop (the app's ScriptedEngine, the protocol,
 * the environment), reaches reward 1 in both modes: for wiki that is token F1 1.
 */
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/lib/agent/events';
import { runEpisode } from '../../src/lib/agent/loop';
import { getProtocol } from '../../src/lib/agent/protocols';
import { envModule as db } from '../../src/lib/tasks/db/index';
import { envModule as household } from '../../src/lib/tasks/household/index';
import { envModule as kg } from '../../src/lib/tasks/kg/index';
import { envModule as os } from '../../src/lib/tasks/os/index';
import { envModule as shop } from '../../src/lib/tasks/shop/index';
import { envModule as tools } from '../../src/lib/tasks/tools/index';
import { envModule as wiki } from '../../src/lib/tasks/wiki/index';
import { taskTools, type EnvModule, type TaskSpec } from '../../src/lib/tasks/types';
import { ScriptedEngine } from '../../src/lib/agent/scripted-engine';
import { OS_VM_TESTS } from '../support/guest';

async function play<T extends TaskSpec>(module: EnvModule<T>, mode: 'strict' | 'lenient') {
  const env = await module.create();
  const protocol = getProtocol(module.protocolId);
  for (const task of module.tasks) {
    const engine = new ScriptedEngine(module.experts[task.id], { charsPerSecond: Infinity });
    let done: AgentEvent | undefined;
    for await (const e of runEpisode(engine, env, protocol, { task, mode, tools: taskTools(task) })) done = e;
    expect(done, `${mode} ${task.id}`).toMatchObject({ type: 'done', reward: 1, mode });
    if (done?.type === 'done' && protocol.assistantPrefix) {
      // The harness's opening is in the history once, not twice.
      expect(done.transcript.find((m) => m.role === 'assistant')?.content, task.id).toBe(module.experts[task.id][0]);
    }
  }
}


describe('experts in both modes', () => {
  for (const module of [...(OS_VM_TESTS ? [os] : []), db, kg, household, shop, wiki, tools] as EnvModule[]) {
    for (const mode of ['strict', 'lenient'] as const) {
      it(`${module.id}, ${mode}`, () => play(module, mode), module.id === 'os' ? 1_800_000 : 60_000);
    }
  }
});
