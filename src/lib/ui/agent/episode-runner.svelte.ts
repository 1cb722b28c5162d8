/**
 * Reactive state of one episode in the UI: wraps `runEpisode` with an AbortController, folds its
 * events into trace steps, keeps the text being streamed, and refreshes the environment's view after
 * each observation. The same runner plays a model episode and a replay (the loop over scripted turns: an
 * expert trajectory or an opened record), and keeps the episode's record for download.
 */
import type { Engine } from '../../engine/types';
import type { AgentEvent } from '../../agent/events';
import { runEpisode, type EpisodeOptions } from '../../agent/loop';
import type { Protocol } from '../../agent/protocols/types';
import { isRecorded, type EpisodeRecord } from '../../agent/record';
import { replayEvents, type ReplayOptions } from '../../agent/replay';
import type { EnvView, TaskEnvironment } from '../../tasks/types';
import { TraceBuilder, type EpisodeOutcome, type TraceStep } from './trace';

export type EpisodeEnvironment = TaskEnvironment & { view?(): Promise<EnvView> };

export class EpisodeRunner {
  steps = $state<TraceStep[]>([]);
  /** The model's text of the turn being generated (empty between turns). */
  streaming = $state('');
  tokensPerSecond = $state(0);
  /** Tokens of the turn being generated, and the most it may have. */
  tokens = $state(0);
  tokenLimit = $state(0);
  turn = $state(0);
  maxTurns = $state(0);
  running = $state(false);
  outcome = $state.raw<EpisodeOutcome | null>(null);
  view = $state.raw<EnvView | null>(null);
  /** The episode's record so far (complete once `running` is false). */
  record = $state.raw<EpisodeRecord>([]);
  /** The task as the environment states it (the first user message's body). */
  taskText = $state('');
  private controller: AbortController | null = null;
  /** Bumped by reset: a run that was reset stops writing into the state. */
  private generation = 0;

  run(engine: Engine, env: EpisodeEnvironment, protocol: Protocol, options: Omit<EpisodeOptions, 'signal'>): Promise<EpisodeOutcome | null> {
    return this.play(env, (observed, signal) => runEpisode(engine, observed, protocol, { ...options, signal }), protocol.maxTurns);
  }

  /** Plays `turns` as the model's replies (an expert trajectory, or the replies of an opened record). */
  replay(env: EpisodeEnvironment, protocol: Protocol, turns: readonly string[], options: Omit<ReplayOptions, 'signal'>): Promise<EpisodeOutcome | null> {
    return this.play(env, (observed, signal) => replayEvents(observed, protocol, turns, { ...options, signal }), protocol.maxTurns);
  }

  private async play(
    env: EpisodeEnvironment,
    events: (env: EpisodeEnvironment, signal: AbortSignal) => AsyncGenerator<AgentEvent>,
    maxTurns: number,
  ): Promise<EpisodeOutcome | null> {
    this.reset();
    const generation = this.generation;
    const controller = new AbortController();
    this.controller = controller;
    this.running = true;
    this.maxTurns = maxTurns;
    const record: EpisodeRecord = [];
    const trace = new TraceBuilder();
    const current = () => generation === this.generation;
    // The environment as the loop sees it, noting the task text its reset returns.
    const observed: EpisodeEnvironment = {
      id: env.id,
      reset: async (task) => {
        const text = await env.reset(task);
        if (current()) this.taskText = text;
        return text;
      },
      step: (action) => env.step(action),
      ...(env.view && { view: () => env.view!() }),
    };
    try {
      for await (const event of events(observed, controller.signal)) {
        if (!current()) {
          controller.abort();
          continue;
        }
        if (isRecorded(event)) {
          record.push(event);
          this.record = [...record];
        }
        if (event.type === 'turn-start') {
          this.turn = event.turn;
          this.streaming = '';
          this.tokens = 0;
          this.tokenLimit = event.maxNewTokens;
          if (event.turn === 1) await this.refreshView(observed, current);
        } else if (event.type === 'token') {
          this.streaming = event.text;
          this.tokensPerSecond = event.tokensPerSecond;
          this.tokens = event.tokens;
        } else if (event.type === 'thought' || event.type === 'action' || event.type === 'error') {
          this.streaming = '';
        }
        if (trace.apply(event)) this.steps.push(trace.steps.at(-1)!);
        if (event.type === 'observation' || event.type === 'done') await this.refreshView(observed, current);
      }
    } finally {
      if (current()) {
        this.running = false;
        this.streaming = '';
        this.outcome = trace.outcome;
        this.controller = null;
      }
    }
    return trace.outcome;
  }

  /** Ends the running episode (the engine is interrupted within one decode step). */
  stop(): void {
    this.controller?.abort();
  }

  /** Stops whatever runs and clears the trace. */
  reset(): void {
    this.stop();
    this.generation++;
    this.controller = null;
    this.steps = [];
    this.streaming = '';
    this.tokensPerSecond = 0;
    this.turn = 0;
    this.running = false;
    this.outcome = null;
    this.view = null;
    this.taskText = '';
    this.record = [];
  }

  private async refreshView(env: EpisodeEnvironment, current: () => boolean): Promise<void> {
    if (!env.view) return;
    try {
      const view = await env.view();
      if (current()) this.view = view;
    } catch {
      // The view is a convenience: an environment that cannot show its state right now keeps the last one.
    }
  }
}
