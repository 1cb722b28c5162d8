/**
 * What the sandbox worker exposes over Comlink: one task environment per worker. Plain TypeScript with
 * no worker globals, so the same host runs in a browser Worker and in a Node worker thread.
 */
import { loadEnvModule } from '../tasks/registry';
import type { Action, EnvId, EnvView, StepResult, TaskEnvironment, TaskSpec } from '../tasks/types';

export interface SandboxApi {
  /** Loads the environment's module (and its wasm) and creates the environment. */
  open(envId: EnvId): Promise<void>;
  reset(task: TaskSpec): Promise<string>;
  step(action: Action): Promise<StepResult>;
  view(): Promise<EnvView | null>;
}

export function createSandboxHost(): SandboxApi {
  let env: TaskEnvironment | undefined;
  const opened = (): TaskEnvironment => {
    if (!env) throw new Error('The sandbox has no environment open: call open(envId) first.');
    return env;
  };
  return {
    async open(envId) {
      if (env?.id === envId) return;
      env = await (await loadEnvModule(envId)).create();
    },
    reset: (task) => opened().reset(task),
    step: (action) => opened().step(action),
    view: async () => {
      const e = opened();
      return e.view ? e.view() : null;
    },
  };
}
