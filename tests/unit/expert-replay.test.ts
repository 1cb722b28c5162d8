/**
 * Every expert trajectory of the OS, DB and Tools environments, replayed as model output through the agent
 * loop and the environment's real protocol parser: each episode must end done with reward 1, on its last turn.
 */
import { describe, expect, it } from 'vitest';
import type { EnvModule } from '../../src/lib/tasks/types';
import { envModule as os } from '../../src/lib/tasks/os/index';
import { envModule as db } from '../../src/lib/tasks/db/index';
import { envModule as tools } from '../../src/lib/tasks/tools/index';
import { replayExpert } from './helpers/replay-expert';
import { OS_VM_TESTS } from '../support/guest';


describe.each([...(OS_VM_TESTS ? [os] : []), db, tools] as unknown as EnvModule[])('expert replay: $id', (module) => {
  it.each(['lenient', 'strict'] as const)(`every ${module.id} task has an expert that reaches reward 1 through the ${module.protocolId} parser (%s)`, async (mode) => {
    for (const task of module.tasks) {
      const results = await replayExpert(module, task, mode);
      results.slice(0, -1).forEach((r, i) => expect(r.done, `${task.id} ended early at turn ${i + 1}`).toBe(false));
      expect(results.at(-1), task.id).toMatchObject({ done: true, reward: 1 });
    }
    console.log(`${module.id} (${mode}): ${module.tasks.length}/${module.tasks.length} expert trajectories reach reward 1`);
  }, module.id === 'os' ? 1_800_000 : 60_000);
});
