import { expect } from 'vitest';
import { getProtocol } from '../../../src/lib/agent/protocols/index';
import type { EpisodeMode } from '../../../src/lib/agent/protocols/types';
import { replayTurns } from '../../../src/lib/agent/replay';
import { doneOf } from '../../../src/lib/agent/record';
import { taskTools, type EnvModule, type StepResult, type TaskSpec } from '../../../src/lib/tasks/types';

/**
 * Replays a task's expert turns through the agent loop (the environment's real protocol parser, stops and turn
 * limit), failing on any turn the parser rejects or an episode that does not end by the expert's last turn.
 * Returns each environment step's result, with the reward that `mode` scores (strict: the original harness's).
 */
export async function replayExpert<T extends TaskSpec>(module: EnvModule<T>, task: T, mode: EpisodeMode = 'lenient'): Promise<StepResult[]> {
  const protocol = getProtocol(module.protocolId);
  const turns = module.experts[task.id] ?? [];
  expect(turns.length, `${task.id}: expert turns`).toBeGreaterThan(0);
  const record = await replayTurns(await module.create(), protocol, turns, { task, tools: taskTools(task), mode });
  const parseError = record.find((e) => e.type === 'error');
  if (parseError) expect.fail(`${task.id} (${mode}): ${JSON.stringify(parseError)}`);
  expect(doneOf(record)?.reason, `${task.id}: how the episode ended (${protocol.id}, ${mode}, max ${protocol.maxTurns} turns)`).toMatch(/^(final|finish|env-done)$/);
  return record.flatMap((e) => (e.type === 'observation' && e.source === 'env' ? [{ observation: e.raw!, done: e.done!, reward: e.reward! }] : []));
}
