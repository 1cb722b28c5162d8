/**
 * The page-side sandbox client: a `TaskEnvironment` whose environment lives in a worker.
 *
 * Every step is time-boxed. When a step overruns (or the environment throws), the worker is terminated
 * and a fresh one started, the environment is restored to its state before that step by replaying
 * `reset(task)` and the earlier actions (environments are deterministic), and the step returns an
 * observation saying what happened. The episode goes on. A replaced worker is gone before its successor
 * starts (`WorkerHandle.terminate` resolves once it is), so a runaway step's memory never sits beside the
 * replay's.
 */
import * as Comlink from 'comlink';
import type { SandboxApi, TaskLookup } from './host';
import type { Action, EnvId, EnvView, StepResult, TaskEnvironment, TaskSpec } from '../tasks/types';
import { lifetimeLockName, lifetimeLockReleased } from '../util/lifetime-lock';
import { newEpisodeSeed, type EpisodeSeed } from '../runtimes/determinism';

export interface WorkerHandle {
  endpoint: Comlink.Endpoint;
  /** Stops the worker; resolves once it is gone (its memory released), as far as the platform can tell. */
  terminate(): Promise<void>;
}

export type WorkerFactory = () => WorkerHandle;

export interface SandboxClientOptions {
  /** Starts a sandbox worker. Default: the Vite-bundled browser worker. */
  spawn?: WorkerFactory;
  /** Budget of one step. Default 3000 ms (the OS guest: 900 s). */
  stepTimeoutMs?: number;
  /** Budget of opening an environment plus reset (and of a restore replay). Default 60000 ms (the OS guest: 900 s). */
  setupTimeoutMs?: number;
}

export const DEFAULT_STEP_TIMEOUT_MS = 3000;
/**
 * Environments whose steps need more than the default. The OS guest bounds every command itself (runtimes/v86:
 * 30 s, then Ctrl-C, then a restore and a replay of the episode's earlier commands) and each init and check script
 * (600 s: AgentBench's checks start python3 dozens of times); its reset loads and restores a 130 MB machine. These
 * budgets only catch a guest that hangs for good.
 */
const ENV_STEP_TIMEOUT_MS: Partial<Record<EnvId, number>> = { os: 900_000 };
const ENV_SETUP_TIMEOUT_MS: Partial<Record<EnvId, number>> = { os: 900_000 };
/** The longest a replacement waits for the terminated worker to be gone. */
const WORKER_EXIT_LIMIT_MS = 5000;

/**
 * The browser gives no event for a terminated worker's end; its lifetime lock (util/lifetime-lock.ts) is released
 * when its context is destroyed, which is when its heap goes.
 */
export function spawnBrowserSandboxWorker(): WorkerHandle {
  const name = lifetimeLockName('sandbox');
  const worker = new Worker(new URL('../../../workers/sandbox.worker.ts', import.meta.url), { type: 'module', name });
  return {
    endpoint: worker,
    terminate: async () => {
      worker.terminate();
      await lifetimeLockReleased(name, WORKER_EXIT_LIMIT_MS);
    },
  };
}

class StepTimeout extends Error {}

/**
 * What a restore cannot bring back, per environment: SQL (random(), randomblob(), the clock) and JavaScript
 * (Math.random, Date) replay from the episode's seed and clock, and the other environments hold nothing random.
 * The OS guest seeds bash's $RANDOM and sets its clock from them at reset; the clock then runs in real time, and
 * mktemp names and python's random numbers come from the kernel.
 */
const REPLAY_CAVEATS: Partial<Record<EnvId, string>> = {
  os: 'Only time-based results (date, file times, how far a background job got) and kernel-random ones (mktemp names) may differ from what earlier observations showed.',
};

function restoredObservation(why: string, env: EnvId): string {
  const caveat = REPLAY_CAVEATS[env];
  return `${why} The environment is back in its state before the action.${caveat ? ` ${caveat}` : ''}`;
}

interface Live {
  handle: WorkerHandle;
  remote: Comlink.Remote<SandboxApi>;
}

export class SandboxClient implements TaskEnvironment {
  private live: Live | undefined;
  /** The last terminated worker's end; a new worker starts only after it. */
  private exited: Promise<void> = Promise.resolve();
  private task: TaskSpec | undefined;
  private episode: EpisodeSeed | undefined;
  private actions: Action[] = [];
  private readonly spawn: WorkerFactory;
  readonly stepTimeoutMs: number;
  private readonly setupTimeoutMs: number;
  /** How many times a worker was replaced after a timeout or failure (for the UI and tests). */
  restarts = 0;

  constructor(
    readonly id: EnvId,
    options: SandboxClientOptions = {},
  ) {
    this.spawn = options.spawn ?? spawnBrowserSandboxWorker;
    this.stepTimeoutMs = options.stepTimeoutMs ?? ENV_STEP_TIMEOUT_MS[id] ?? DEFAULT_STEP_TIMEOUT_MS;
    this.setupTimeoutMs = options.setupTimeoutMs ?? ENV_SETUP_TIMEOUT_MS[id] ?? 60_000;
  }

  async reset(task: TaskSpec): Promise<string> {
    if (task.env !== this.id) {
      throw new Error(`Task ${task.id} belongs to the "${task.env}" environment, not "${this.id}".`);
    }
    const live = await this.ensureLive();
    const episode = newEpisodeSeed();
    const text = await this.withTimeout(live.remote.reset(task, episode), this.setupTimeoutMs).catch((e) => {
      this.kill();
      throw e instanceof StepTimeout ? new Error(`Resetting task ${task.id} took over ${this.setupTimeoutMs} ms.`) : e;
    });
    this.task = task;
    this.episode = episode;
    this.actions = [];
    return text;
  }

  async step(action: Action): Promise<StepResult> {
    const task = this.task;
    if (!task || !this.live) throw new Error('No task is running in the sandbox: call reset(task) first.');
    try {
      const result = await this.withTimeout(this.live.remote.step(action), this.stepTimeoutMs);
      this.actions.push(action);
      return result;
    } catch (e) {
      const why =
        e instanceof StepTimeout
          ? `Timeout: the action ran longer than ${formatSeconds(this.stepTimeoutMs)} and was stopped.`
          : `Error: the environment failed on this action (${e instanceof Error ? e.message : String(e)}).`;
      await this.restore(task);
      return { observation: restoredObservation(why, this.id), done: false, reward: 0 };
    }
  }

  async view(): Promise<EnvView> {
    if (!this.live) throw new Error('No task is running in the sandbox: call reset(task) first.');
    const view = await this.withTimeout(this.live.remote.view(), this.stepTimeoutMs);
    return view ?? { kind: 'none' };
  }

  /** Opens the environment if needed and returns one task of its catalog with its expert turns. */
  async lookupTask(taskId: string): Promise<TaskLookup> {
    const live = await this.ensureLive();
    return this.withTimeout(live.remote.lookupTask(taskId), this.setupTimeoutMs);
  }

  /** Terminates the worker. The client can be reset again later (a fresh worker starts). */
  dispose(): void {
    this.kill();
    this.task = undefined;
    this.actions = [];
  }

  private async ensureLive(): Promise<Live> {
    if (this.live) return this.live;
    await this.exited;
    if (this.live) return this.live;
    const handle = this.spawn();
    const remote = Comlink.wrap<SandboxApi>(handle.endpoint);
    const live = { handle, remote };
    this.live = live;
    try {
      await this.withTimeout(remote.open(this.id), this.setupTimeoutMs);
    } catch (e) {
      this.kill();
      throw e instanceof StepTimeout ? new Error(`Opening the "${this.id}" environment took over ${this.setupTimeoutMs} ms.`) : e;
    }
    return live;
  }

  /** Replaces the worker and replays reset + the actions that completed before the failed step. */
  private async restore(task: TaskSpec): Promise<void> {
    this.kill();
    this.restarts++;
    const live = await this.ensureLive();
    const replay = async () => {
      await live.remote.reset(task, this.episode);
      for (const action of this.actions) await live.remote.step(action);
    };
    try {
      await this.withTimeout(replay(), this.setupTimeoutMs);
    } catch (e) {
      this.kill();
      throw new Error(`The sandbox could not restore task ${task.id} after a failed step: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private kill(): void {
    if (!this.live) return;
    this.live.remote[Comlink.releaseProxy]();
    const previous = this.exited;
    const ending = this.live.handle.terminate().catch(() => {});
    this.exited = Promise.all([previous, ending]).then(() => {});
    this.live = undefined;
  }

  private withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StepTimeout()), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
