import { expect } from 'vitest';
import { getProtocol } from '../../../src/lib/agent/protocols/index';
import type { EpisodeMode } from '../../../src/lib/agent/protocols/types';
import type { EnvModule, StepResult, TaskSpec } from '../../../src/lib/tasks/types';

/**
 * Replays a task's expert turns through the environment's real protocol parser and the environment,
 * failing on any turn the parser rejects or when the expert needs more turns than the protocol allows.
 * Returns each step's result, with the reward that `mode` scores (strict: the original harness's).
 */
export async function replayExpert<T extends TaskSpec>(module: EnvModule<T>, task: T, mode: EpisodeMode = 'lenient'): Promise<StepResult[]> {
  const protocol = getProtocol(module.protocolId);
  const env = await module.create();
  await env.reset(task);
  const turns = module.experts[task.id] ?? [];
  expect(turns.length, `${task.id}: expert turns`).toBeGreaterThan(0);
  expect(turns.length, `${task.id}: expert turns vs ${protocol.id} max turns`).toBeLessThanOrEqual(protocol.maxTurns);
  const results: StepResult[] = [];
  for (const [i, turn] of turns.entries()) {
    const parsed = protocol.parse(turn, { mode, turn: i + 1 });
    if (!parsed.ok) expect.fail(`${task.id}: the ${protocol.id} parser (${mode}) rejected ${JSON.stringify(turn)}: ${parsed.error}`);
    const step = await env.step(parsed.action);
    results.push(mode === 'strict' ? { ...step, reward: step.strictReward ?? step.reward } : step);
  }
  return results;
}
