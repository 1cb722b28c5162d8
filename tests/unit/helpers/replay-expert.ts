import { expect } from 'vitest';
import { getProtocol } from '../../../src/lib/agent/protocols/index';
import type { EnvModule, StepResult, TaskSpec } from '../../../src/lib/tasks/types';

/**
 * Replays a task's expert turns through the environment's real protocol parser and the environment,
 * failing on any turn the parser rejects or when the expert needs more turns than the protocol allows.
 * Returns each step's result.
 */
export async function replayExpert<T extends TaskSpec>(module: EnvModule<T>, task: T): Promise<StepResult[]> {
  const protocol = getProtocol(module.protocolId);
  const env = await module.create();
  await env.reset(task);
  const turns = module.experts[task.id] ?? [];
  expect(turns.length, `${task.id}: expert turns`).toBeGreaterThan(0);
  expect(turns.length, `${task.id}: expert turns vs ${protocol.id} max turns`).toBeLessThanOrEqual(protocol.maxTurns);
  const results: StepResult[] = [];
  for (const turn of turns) {
    const parsed = protocol.parse(turn);
    if (!parsed.ok) expect.fail(`${task.id}: the ${protocol.id} parser rejected ${JSON.stringify(turn)}: ${parsed.error}`);
    results.push(await env.step(parsed.action));
  }
  return results;
}
