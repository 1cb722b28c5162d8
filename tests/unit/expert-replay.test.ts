/**
 * Every expert trajectory of the OS, DB and Tools environments, replayed as model output: each
 * assistant text goes through the environment's real protocol parser, the parsed action through the
 * environment, and the episode must end done with reward 1.
 */
import { describe, expect, it } from 'vitest';
import { getProtocol } from '../../src/lib/agent/protocols/index';
import type { ToolSpec } from '../../src/lib/agent/protocols/types';
import type { EnvModule, TaskSpec } from '../../src/lib/tasks/types';
import { envModule as os } from '../../src/lib/tasks/os/index';
import { envModule as db } from '../../src/lib/tasks/db/index';
import { envModule as tools } from '../../src/lib/tasks/tools/index';

async function replay(module: EnvModule, task: TaskSpec) {
  const protocol = getProtocol(module.protocolId);
  const env = await module.create();
  await env.reset(task);
  const offered = (task.data as { tools?: ToolSpec[] } | undefined)?.tools;
  const turns = module.experts[task.id];
  let last = { observation: '', done: false, reward: 0 };
  for (const [i, text] of turns.entries()) {
    const parsed = protocol.parse(text, offered ? { tools: offered } : undefined);
    if (!parsed.ok) throw new Error(`${task.id} turn ${i + 1} does not parse: ${parsed.error}\n${text}`);
    last = await env.step(parsed.action);
    if (last.done && i < turns.length - 1) throw new Error(`${task.id} ended at turn ${i + 1} of ${turns.length}`);
  }
  return last;
}

describe.each([os, db, tools] as unknown as EnvModule[])('expert replay: $id', (module) => {
  it(`every task of ${module.id} has an expert that reaches reward 1 through the ${module.protocolId} parser`, async () => {
    let solved = 0;
    for (const task of module.tasks) {
      expect(module.experts[task.id], task.id).toBeDefined();
      const result = await replay(module, task);
      expect(result, task.id).toMatchObject({ done: true, reward: 1 });
      solved++;
    }
    console.log(`${module.id}: ${solved}/${module.tasks.length} expert trajectories reach reward 1`);
  });
});
