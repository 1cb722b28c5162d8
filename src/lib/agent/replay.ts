import type { EpisodeMode, Protocol, ToolSpec } from './protocols/types';
import type { TaskEnvironment, TaskSpec } from '../tasks/types';

export interface ReplayStep {
  turn: string;
  /** Set when the protocol rejected the turn; the observation then is the protocol's format reminder. */
  parseError?: string;
  /** The observation as the model would see it next (the protocol's formatting and truncation applied). */
  observation: string;
  done: boolean;
  reward: number;
}

export interface ReplayResult {
  reward: number;
  done: boolean;
  steps: number;
  observations: string[];
  trace: ReplayStep[];
}

/**
 * Plays recorded assistant turns through a protocol's parser and an environment, exactly as the agent loop
 * would, without a model: the path for expert trajectories, regression suites and offline evaluations.
 * Stops at the first turn after which the environment is done. Turns are whole, with any `assistantPrefix`.
 */
export async function replayTurns(
  env: TaskEnvironment,
  protocol: Protocol,
  task: TaskSpec,
  turns: string[],
  options: { tools?: ToolSpec[]; mode?: EpisodeMode } = {},
): Promise<ReplayResult> {
  await env.reset(task);
  const trace: ReplayStep[] = [];
  let done = false;
  let reward = 0;
  for (const [i, turn] of turns.entries()) {
    const parsed = protocol.parse(turn, { tools: options.tools, mode: options.mode, turn: i + 1 });
    if (!parsed.ok) {
      trace.push({ turn, parseError: parsed.error, observation: parsed.observation, done: false, reward: 0 });
      continue;
    }
    const result = await env.step(parsed.action);
    done = result.done;
    reward = result.reward;
    trace.push({ turn, observation: protocol.formatObservation(result.observation, i + 1), done, reward });
    if (done) break;
  }
  return { reward, done, steps: trace.length, observations: trace.map((s) => s.observation), trace };
}
