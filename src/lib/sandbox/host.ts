/**
 * What the sandbox worker exposes over Comlink: one task environment per worker. Plain TypeScript with
 * no worker globals, so the same host runs in a browser Worker and in a Node worker thread.
 */
import { loadEnvModule } from '../tasks/registry';
import type { Action, EnvId, EnvModule, EnvView, StepResult, TaskEnvironment, TaskSpec } from '../tasks/types';
import type { EpisodeSeed } from '../runtimes/determinism';

/** One catalog task as the page needs it to run: the full spec, its expert turns, the protocol it speaks. */
export interface TaskLookup {
  task: TaskSpec;
  protocolId: string;
  /** The expert trajectory (assistant turns), or null when the task has none. */
  expert: string[] | null;
}

export interface SandboxApi {
  /** Loads the environment's module (and its wasm) and creates the environment. */
  open(envId: EnvId): Promise<void>;
  reset(task: TaskSpec, episode?: EpisodeSeed): Promise<string>;
  step(action: Action): Promise<StepResult>;
  view(): Promise<EnvView | null>;
  /** A task of the open environment's catalog, so the page needs no environment code of its own. */
  lookupTask(taskId: string): Promise<TaskLookup>;
}

export function createSandboxHost(): SandboxApi {
  let env: TaskEnvironment | undefined;
  let module: EnvModule | undefined;
  const opened = (): TaskEnvironment => {
    if (!env) throw new Error('The sandbox has no environment open: call open(envId) first.');
    return env;
  };
  return {
    async open(envId) {
      if (env?.id === envId) return;
      module = await loadEnvModule(envId);
      env = await module.create();
    },
    reset: (task, episode) => opened().reset(task, episode),
    step: (action) => opened().step(action),
    view: async () => {
      const e = opened();
      return e.view ? e.view() : null;
    },
    lookupTask: async (taskId) => {
      opened();
      const task = module!.tasks.find((t) => t.id === taskId);
      if (!task) throw new Error(`The "${module!.id}" environment has no task "${taskId}"; its catalog may be newer than the gallery index (run npm run catalog).`);
      return { task, protocolId: module!.protocolId, expert: module!.experts[taskId] ?? null };
    },
  };
}
