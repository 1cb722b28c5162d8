/**
 * Runs a suite's episodes through the agent loop, over one or more engine slots with bounded concurrency (each
 * slot runs one episode at a time: several slots on one remote server, or one per replica), skipping episodes
 * already finished. I/O is the caller's: environments come from `createEnv` (in-process in Node, the sandbox
 * worker in the browser) and each finished record goes to `onRecord`, which must persist it before the next.
 */
import type { Engine } from '../../engine/types';
import type { EnvId, TaskEnvironment } from '../../tasks/types';
import { taskTools } from '../../tasks/types';
import type { EpisodeModel, EpisodeSampling } from '../events';
import { runEpisode } from '../loop';
import { getProtocol } from '../protocols/index';
import type { EpisodeMode } from '../protocols/types';
import { doneOf, isRecorded, summarize, type EpisodeRecord, type RecordSummary } from '../record';
import type { SuiteEpisode } from './suites';

export interface EngineSlot {
  engine: Engine;
  model: EpisodeModel;
  contextLength: number;
}

export interface SuiteProgress {
  done: number;
  total: number;
  /** Episodes skipped because their record was already there (counted in `done`). */
  resumed: number;
  successes: number;
  elapsedMs: number;
  /** From this run's pace; null until an episode has run. */
  etaMs: number | null;
}

export interface RunSuiteOptions {
  episodes: SuiteEpisode[];
  /** Summaries of episodes already finished, by key: skipped, but counted in the progress. */
  finished: Map<string, RecordSummary>;
  slots: EngineSlot[];
  mode: EpisodeMode;
  sampling: Partial<EpisodeSampling>;
  /** An environment and the protocol id its model speaks. */
  createEnv: (env: EnvId) => Promise<{ env: TaskEnvironment; protocolId: string }>;
  onRecord: (episode: SuiteEpisode, record: EpisodeRecord) => Promise<void>;
  onProgress?: (p: SuiteProgress) => void;
  signal?: AbortSignal;
}

/**
 * Resolves when every episode ran or the signal aborted. An episode that ends on an engine error (server down,
 * model unloaded) or an interrupt is not a result: it is not recorded, its slot stops, and `runSuite` rejects
 * with the engine's message once the other slots are through, so a rerun resumes with it.
 */
export async function runSuite(options: RunSuiteOptions): Promise<void> {
  const { episodes, finished, slots, signal } = options;
  if (slots.length === 0) throw new Error('no engine to run the suite on');
  const started = performance.now();
  const todo = episodes.filter((e) => !finished.has(e.key));
  const resumed = episodes.length - todo.length;
  let done = resumed;
  let successes = [...finished.values()].filter((s) => s.success).length;
  let ran = 0;
  const progress = () => {
    const elapsedMs = performance.now() - started;
    options.onProgress?.({ done, total: episodes.length, resumed, successes, elapsedMs, etaMs: ran ? (elapsedMs / ran) * (episodes.length - done) : null });
  };
  progress();
  let next = 0;
  let failure: string | undefined;
  const worker = async (slot: EngineSlot) => {
    while (!signal?.aborted && next < todo.length) {
      const episode = todo[next++];
      const { env, protocolId } = await options.createEnv(episode.env);
      const record: EpisodeRecord = [];
      for await (const event of runEpisode(slot.engine, env, getProtocol(protocolId), {
        task: episode.task,
        tools: taskTools(episode.task),
        mode: options.mode,
        sampling: options.sampling,
        contextLength: slot.contextLength,
        model: slot.model,
        signal,
      })) {
        if (isRecorded(event)) record.push(event);
      }
      const end = doneOf(record);
      if (end?.reason === 'interrupted') break;
      const engineError = record.find((e) => e.type === 'error' && e.kind === 'engine');
      if (engineError?.type === 'error') {
        failure = `${episode.key}: ${engineError.message}`;
        break;
      }
      await options.onRecord(episode, record);
      done++;
      ran++;
      if (summarize(record).success) successes++;
      progress();
    }
  };
  await Promise.all(slots.map(worker));
  if (failure) throw new Error(`stopped on an engine error (finished episodes are kept; run again to resume): ${failure}`);
}
