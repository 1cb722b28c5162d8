import type { Engine, GenerateRequest, GenerateResult, LoadReport } from '../engine/types';
import { ASSISTANT_BEGIN } from './template';
import type { TaskEnvironment, TaskSpec } from '../tasks/types';
import { runEpisode } from './loop';
import type { DoneReason } from './events';
import type { EpisodeMode, Protocol, ToolSpec } from './protocols/types';

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
  /** Why the episode ended ('error' with the turns run out before the environment was done). */
  reason: DoneReason;
  mode: EpisodeMode;
  steps: number;
  observations: string[];
  trace: ReplayStep[];
}

const ENDED: DoneReason[] = ['final', 'finish', 'env-done', 'format-error', 'repeated-action'];

/** Gives the recorded turns as generations, one per call, then refuses. */
class TurnsEngine implements Engine {
  private next = 0;
  constructor(private readonly turns: readonly string[]) {}
  async load(): Promise<LoadReport> {
    throw new Error('A replay needs no model.');
  }
  async generate(request: GenerateRequest): Promise<GenerateResult> {
    if (this.next >= this.turns.length) throw new Error(`the ${this.turns.length} recorded turns ran out`);
    // A turn is recorded whole; the prompt may already end with its start (an `assistantPrefix`), which the loop adds.
    const opening = request.prompt.slice(request.prompt.lastIndexOf(ASSISTANT_BEGIN) + ASSISTANT_BEGIN.length);
    const turn = this.turns[this.next++];
    const text = opening && turn.startsWith(opening) ? turn.slice(opening.length) : turn;
    return { text, tokens: 0, stopReason: 'eos', timings: { promptTokens: 0, reusedTokens: 0, prefillMs: 0, ttftMs: 0, decodeTokensPerSecond: 0 } };
  }
  async interrupt(): Promise<void> {}
  async reset(): Promise<void> {}
  async countTokens(text: string): Promise<number> {
    return text.length;
  }
  async unload(): Promise<void> {}
}

/**
 * Plays recorded assistant turns through the agent loop itself with a protocol and an environment, without a model:
 * the path for expert trajectories, regression suites and offline evaluations. `mode` as in `EpisodeOptions`
 * (default lenient); the result records it. Stops where the episode ends or when the turns run out. Turns are
 * whole, with any `assistantPrefix`.
 */
export async function replayTurns(
  env: TaskEnvironment,
  protocol: Protocol,
  task: TaskSpec,
  turns: string[],
  options: { tools?: ToolSpec[]; mode?: EpisodeMode } = {},
): Promise<ReplayResult> {
  const trace: ReplayStep[] = [];
  let parseError: string | undefined;
  for await (const e of runEpisode(new TurnsEngine(turns), env, protocol, { task, tools: options.tools, mode: options.mode, contextLength: Number.MAX_SAFE_INTEGER })) {
    if (e.type === 'error' && e.kind === 'parse') parseError = e.message;
    if (e.type === 'observation') {
      trace.push({ turn: turns[e.turn - 1], ...(e.source === 'parse-error' && { parseError }), observation: e.text, done: false, reward: 0 });
      parseError = undefined;
    }
    if (e.type === 'done') {
      const done = ENDED.includes(e.reason);
      const last = trace.at(-1);
      if (parseError !== undefined) trace.push({ turn: turns[e.steps - 1], parseError, observation: '', done, reward: e.reward });
      else if (last && ['final', 'finish', 'env-done'].includes(e.reason)) Object.assign(last, { done, reward: e.reward });
      return { reward: e.reward, done, reason: e.reason, mode: e.mode, steps: trace.length, observations: trace.map((s) => s.observation), trace };
    }
  }
  throw new Error('the episode did not finish');
}
