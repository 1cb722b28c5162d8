/**
 * Replay is the agent loop over scripted turns: `runEpisode` with a `ScriptedEngine`, so a replay stops, strips
 * and scores exactly as a model episode does (stop strings, the repeated-action stop, the protocol's turn limit,
 * strict mode). The path for expert trajectories, regression suites, offline evaluations and opened records.
 */
import type { TaskEnvironment } from '../tasks/types';
import type { AgentEvent, EpisodeModel } from './events';
import { runEpisode, type EpisodeOptions } from './loop';
import type { Protocol } from './protocols/types';
import { isRecorded, repliesOf, startOf, type EpisodeRecord } from './record';
import { ScriptedEngine, type ScriptedEngineOptions } from './scripted-engine';

/** The model a replay names in its record when the caller does not say (the turns' author is unknown). */
export const SCRIPTED_MODEL: EpisodeModel = { engine: 'scripted', id: 'scripted' };

export type ReplayOptions = Omit<EpisodeOptions, 'contextLength'> & ScriptedEngineOptions;

/**
 * Plays `turns` as the model's replies through the loop and returns the record. A scripted engine ignores the
 * prompt, so no context limit applies.
 */
export async function replayTurns(env: TaskEnvironment, protocol: Protocol, turns: readonly string[], options: ReplayOptions): Promise<EpisodeRecord> {
  const record: EpisodeRecord = [];
  for await (const event of replayEvents(env, protocol, turns, options)) if (isRecorded(event)) record.push(event);
  return record;
}

/** The same replay, event by event (tokens included), for a live view. */
export function replayEvents(env: TaskEnvironment, protocol: Protocol, turns: readonly string[], options: ReplayOptions): AsyncGenerator<AgentEvent> {
  const { charsPerSecond, ...episode } = options;
  const engine = new ScriptedEngine(turns, { charsPerSecond: charsPerSecond ?? Infinity });
  return runEpisode(engine, env, protocol, { model: SCRIPTED_MODEL, ...episode, contextLength: Number.MAX_SAFE_INTEGER });
}

/** The options that replay a record's episode: its task, tools, mode and sampling, its replies as the turns. */
export function replayPlan(record: EpisodeRecord): { turns: string[]; options: ReplayOptions } {
  const start = startOf(record);
  return {
    turns: repliesOf(record),
    options: { task: start.task, tools: start.tools, mode: start.mode, sampling: start.sampling, model: start.model },
  };
}
