/** Runs an episode with the loaded model, keeping the engine session's status honest while it runs. */
import type { EpisodeModel } from '../../agent/events';
import type { EpisodeOptions } from '../../agent/loop';
import type { Protocol } from '../../agent/protocols/types';
import type { EngineSession } from '../engine-session.svelte';
import type { EpisodeEnvironment, EpisodeRunner } from './episode-runner.svelte';

/** What the record says generated the turns. */
export function episodeModel(session: EngineSession): EpisodeModel {
  const report = session.report!;
  const kind = (session.engine as { kind?: string; endpoint?: string }).kind;
  if (kind) return { engine: kind, id: report.modelId, device: (session.engine as { endpoint?: string }).endpoint };
  return { engine: 'local', id: report.modelId, dtype: report.dtype, device: report.device };
}

export async function runWithModel(
  session: EngineSession,
  runner: EpisodeRunner,
  env: EpisodeEnvironment,
  protocol: Protocol,
  options: Pick<EpisodeOptions, 'task' | 'tools'>,
): Promise<void> {
  if (session.status !== 'ready' || !session.report) throw new Error('Load a model first (the Model panel above), then run the task.');
  const { settings } = session;
  session.status = 'generating';
  session.error = null;
  try {
    await runner.run(session.engine, env, protocol, {
      ...options,
      contextLength: session.report.contextLength,
      model: episodeModel(session),
      sampling: { temperature: settings.temperature, topP: settings.topP, maxNewTokens: settings.maxNewTokens },
    });
  } finally {
    // A fatal engine error has already set the session to 'error' through onFatal.
    if (session.status === 'generating') session.status = 'ready';
  }
}
