/**
 * The shape shared by the agent loop, the task environments and the sandbox.
 * An environment never sees model text: a protocol parses the text into an `Action` first.
 */
import type { EpisodeSeed } from '../runtimes/determinism';

export type EnvId = 'os' | 'db' | 'kg' | 'household' | 'shop' | 'wiki' | 'tools';

export type Action =
  /**
   * A tool or function call. `args` is a string for text-argument actions (bash script, SQL,
   * household command, shop `search[...]` keywords / `click[...]` value, wiki search/lookup),
   * a string[] of positional arguments for knowledge-graph functions, and a JSON object for
   * ReAct / ToolBench tools.
   */
  | { type: 'tool'; name: string; args: string | string[] | Record<string, unknown> }
  /** The agent's answer: OS `answer(...)`, DB / KG / ReAct `Final Answer`, wiki `finish[...]`. */
  | { type: 'final'; answer: string | string[] }
  /** OS `Act: finish`: the agent says the task is done, with no answer value. */
  | { type: 'finish' };

export interface StepResult {
  observation: string;
  done: boolean;
  /** 0..1; meaningful when done. */
  reward: number;
  /**
   * The original harness's score where its rule differs from `reward` (AgentBench DB's 2023 answer comparison);
   * strict-mode episodes use it.
   */
  strictReward?: number;
}

export interface TaskSpec {
  id: string;
  env: EnvId;
  /** One-line goal for a gallery card. */
  title: string;
  /** A caveat shown with the task, e.g. that the benchmark's reference answer disagrees with the task's data. */
  note?: string;
  /** Environment-specific task data (serialisable: it crosses a worker boundary). */
  data?: unknown;
}

/** What the UI can show of an environment's state (e.g. the DB table, the shell's files). */
export interface EnvView {
  kind: string;
  [key: string]: unknown;
}

export interface TaskEnvironment<Task extends TaskSpec = TaskSpec> {
  readonly id: EnvId;
  /**
   * Starts `task` and returns the first user message body in the benchmark's own format
   * (e.g. AgentBench DB's description plus table schema). `episode` seeds what is random or time-based in the
   * episode (runtimes/determinism.ts): a reset with the same seed followed by the same actions gives the same
   * observations, which is what a restore relies on.
   */
  reset(task: Task, episode?: EpisodeSeed): Promise<string>;
  step(action: Action): Promise<StepResult>;
  view?(): Promise<EnvView>;
}

/**
 * One environment as a module: `src/lib/tasks/<env>/index.ts` exports `envModule`.
 * Loaded lazily (each environment's wasm only when a task needs it).
 */
export interface EnvModule<Task extends TaskSpec = TaskSpec> {
  id: EnvId;
  label: string;
  /** Id of the protocol in `src/lib/agent/protocols` the model speaks in this environment. */
  protocolId: string;
  tasks: Task[];
  create(): Promise<TaskEnvironment<Task>>;
  /** Expert trajectories: for a task id, the assistant turns (model's own format) that reach reward 1. */
  experts: Record<string, string[]>;
}

/** The ReAct / ToolBench tools a task offers (the tools environment lists them in `data.tools`). */
export function taskTools(task: TaskSpec): import('../agent/protocols/types').ToolSpec[] | undefined {
  const tools = (task.data as { tools?: unknown } | undefined)?.tools;
  return Array.isArray(tools) ? (tools as import('../agent/protocols/types').ToolSpec[]) : undefined;
}
