/**
 * The booth's reactive state and its I/O: featured tasks, running an episode, the idle reset (conversation
 * cleared, model kept) and recovery from a fatal engine error (reload the model, back to attract).
 */
import type { AgentEvent, DoneReason } from '../../agent/events';
import { runEpisode } from '../../agent/loop';
import { getProtocol } from '../../agent/protocols';
import { DEFAULT_EPISODE_MODE, type EpisodeMode } from '../../agent/protocols/types';
import type { Action } from '../../tasks/types';
import { taskCatalog, type CatalogEnv, type CatalogTask } from '../../tasks/catalog';
import { SandboxClient } from '../../sandbox/client';
import type { EngineError } from '../../engine/errors';
import type { EngineSession } from '../engine-session.svelte';
import { BoothMachine, type BoothState, type Timers } from './booth-machine';
import { STORAGE_KEY, type BoothSettings } from './booth-settings';
import { ScreenWakeLock, type WakeLockState } from './wake-lock';
import { ScriptedEngine } from '../../agent/scripted-engine';
import { isTestModel } from '../models/model-guide';
import { linuxGuestServed } from '../linux-guest';

/** A catalog entry: titles only; the task's data comes from the sandbox when it runs. */
export interface FeaturedTask {
  env: CatalogEnv;
  task: CatalogTask;
}

export type TraceKind = 'thought' | 'action' | 'observation' | 'final' | 'error' | 'stopped';

export interface EpisodeOutcome {
  reason: DoneReason;
  reward: number;
  steps: number;
  mode: EpisodeMode;
}

/** Between reload attempts after a fatal error, growing to a minute. */
const RECOVERY_DELAYS_MS = [0, 2_000, 10_000, 60_000];

export class BoothSession {
  state = $state<BoothState>('attract');
  secondsLeft = $state(0);
  featuredIndex = $state(0);
  // Raw: tasks cross into the sandbox worker by structured clone, which a reactive proxy would break.
  featured = $state.raw<FeaturedTask[]>([]);
  current = $state.raw<FeaturedTask | null>(null);
  trace = $state<{ kind: TraceKind; text: string }[]>([]);
  /** The model's text while it is being generated. */
  streaming = $state('');
  outcome = $state<EpisodeOutcome | null>(null);
  running = $state(false);
  /** The running or last visit replays the expert's solution (the loaded model is the random test model). */
  replay = $state(false);
  recoveries = $state(0);
  lastFatal = $state<string | null>(null);
  wakeLock = $state<WakeLockState>('released');
  settingsOpen = $state(false);
  settings: BoothSettings;

  private readonly machine: BoothMachine;
  private readonly lock = new ScreenWakeLock((s) => (this.wakeLock = s));
  /** One sandbox per featured environment, kept across visits (each episode resets it to its task). */
  private readonly sandboxes = new Map<string, SandboxClient>();
  private abort: AbortController | null = null;
  private episode: Promise<void> | null = null;

  constructor(
    readonly session: EngineSession,
    settings: BoothSettings,
    timers?: Timers,
  ) {
    this.settings = $state(settings);
    this.machine = new BoothMachine(this.timings(), settings.featured.length, { onReset: () => void this.clear(), onChange: () => this.sync() }, timers);
    const previous = session.engine.onFatal;
    session.engine.onFatal = (e) => {
      previous?.(e);
      void this.recover(e);
    };
  }

  private timings() {
    return { idleMs: this.settings.idleSeconds * 1000, warnMs: this.settings.warnSeconds * 1000, rotateMs: this.settings.rotateSeconds * 1000 };
  }

  private sync(): void {
    this.state = this.machine.state;
    this.secondsLeft = this.machine.secondsLeft;
    this.featuredIndex = this.machine.featuredIndex;
  }

  /** Picks the featured tasks from the catalog and, unless already loaded, loads the model. */
  async start(): Promise<void> {
    const guest = await linuxGuestServed();
    // Unattended, a booth shows no task that can only fail: OS tasks need the Linux guest.
    this.featured = this.settings.featured.filter((id) => guest || id !== 'os').flatMap((id) => {
      const env = taskCatalog.envs.find((e) => e.id === id);
      // The first task without a caveat: one whose reference answer disagrees with its data is no showcase.
      const task = env?.tasks.find((t) => !t.note) ?? env?.tasks[0];
      return env && task ? [{ env, task }] : [];
    });
    this.machine.setFeaturedCount(this.featured.length);
    this.sync();
    if (this.session.models.length === 0) await this.session.listModels();
    if (this.session.status !== 'ready') await this.session.load();
  }

  /** A tap on the screen; the first one of a visit goes full screen and keeps the screen awake. */
  tap(): void {
    if (!this.machine.tap()) return;
    document.documentElement.requestFullscreen?.().catch(() => {
      // Refused (no user activation, or an iframe without allowfullscreen): the booth works windowed.
    });
    void this.lock.acquire();
  }

  activity(): void {
    this.machine.activity();
  }

  async run(featured: FeaturedTask): Promise<void> {
    if (this.running || this.session.status !== 'ready') return;
    this.machine.activity();
    this.current = featured;
    this.trace = [];
    this.outcome = null;
    this.streaming = '';
    this.running = true;
    this.machine.setBusy(true);
    const abort = new AbortController();
    this.abort = abort;
    this.episode = this.play(featured, abort.signal).finally(() => {
      this.running = false;
      this.streaming = '';
      this.abort = null;
      this.machine.setBusy(false);
    });
    await this.episode;
  }

  private async play(featured: FeaturedTask, signal: AbortSignal): Promise<void> {
    let env = this.sandboxes.get(featured.env.id);
    if (!env) this.sandboxes.set(featured.env.id, (env = new SandboxClient(featured.env.id)));
    let lookup;
    try {
      lookup = await env.lookupTask(featured.task.id);
    } catch (e) {
      this.trace.push({ kind: 'error', text: `The sandbox could not open this task: ${(e as Error).message}` });
      this.outcome = { reason: 'error', reward: 0, steps: 0, mode: DEFAULT_EPISODE_MODE };
      return;
    }
    const base = getProtocol(featured.env.protocolId);
    // A booth visit is short: cap the turns without touching the shared protocol object.
    const protocol = Object.assign(Object.create(base), { maxTurns: Math.min(base.maxTurns, this.settings.maxTurns) });
    const s = this.session.settings;
    // The random test model writes noise: with no real model, a visit replays the expert's solution instead.
    this.replay = this.expertOnly && !!lookup.expert;
    const engine = this.replay ? new ScriptedEngine(lookup.expert!, { charsPerSecond: s.replayCharsPerSecond > 0 ? s.replayCharsPerSecond : Infinity }) : this.session.engine;
    if (this.replay) protocol.maxTurns = base.maxTurns;
    const events = runEpisode(engine, env, protocol, {
      task: lookup.task,
      signal,
      contextLength: this.replay ? Number.MAX_SAFE_INTEGER : this.session.report?.contextLength,
      sampling: { temperature: s.temperature, topP: s.topP, maxNewTokens: s.maxNewTokens },
    });
    this.session.status = 'generating';
    try {
      for await (const event of events) this.show(event);
    } finally {
      if (this.session.status === 'generating') this.session.status = 'ready';
    }
  }

  /** No real model here: the loaded (or chosen) one is the random-weight test model. */
  get expertOnly(): boolean {
    return this.settings.expertReplays && isTestModel(this.session.report?.modelId ?? this.session.modelId);
  }

  /** Stops the running episode within one decode step; what it wrote so far stays on screen. */
  stop(): void {
    this.abort?.abort();
  }

  private show(event: AgentEvent): void {
    switch (event.type) {
      case 'token':
        this.streaming = event.text;
        return;
      case 'thought':
        this.streaming = '';
        this.trace.push({ kind: 'thought', text: event.text });
        return;
      case 'action':
        this.streaming = '';
        this.trace.push({ kind: 'action', text: describeAction(event.action) });
        return;
      case 'observation':
        this.streaming = '';
        this.trace.push({ kind: 'observation', text: event.raw ?? event.text });
        return;
      case 'stopped':
        this.streaming = '';
        this.trace.push({ kind: 'stopped', text: event.text });
        return;
      case 'final':
        this.trace.push({ kind: 'final', text: Array.isArray(event.answer) ? event.answer.join(', ') : event.answer });
        return;
      case 'error':
        this.trace.push({ kind: 'error', text: event.message });
        return;
      case 'done':
        this.outcome = { reason: event.reason, reward: event.reward, steps: event.steps, mode: event.mode };
        return;
    }
  }

  /** Ends the visit's episode and forgets it; the model stays loaded (only its KV cache is dropped). */
  async clear(): Promise<void> {
    this.abort?.abort();
    await this.episode?.catch(() => {});
    this.episode = null;
    this.trace = [];
    this.outcome = null;
    this.current = null;
    if (this.session.status === 'ready') await this.session.engine.reset().catch(() => {});
  }

  /** The worker crashed or the GPU device was lost: reload the model, then show the attract screen. */
  async recover(error: EngineError): Promise<void> {
    if (this.machine.state === 'recovering') return;
    this.lastFatal = error.message;
    this.machine.recovering();
    this.abort?.abort();
    await this.episode?.catch(() => {});
    this.trace = [];
    this.outcome = null;
    this.current = null;
    for (let attempt = 0; this.session.status !== 'ready'; attempt++) {
      const delay = RECOVERY_DELAYS_MS[Math.min(attempt, RECOVERY_DELAYS_MS.length - 1)];
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      await this.session.load();
    }
    this.recoveries++;
    this.machine.recovered();
  }

  saveSettings(next: BoothSettings): void {
    this.settings = next;
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    this.machine.setTimings(this.timings());
  }
}

function describeAction(action: Action): string {
  if (action.type === 'finish') return 'finish';
  if (action.type === 'final') return `answer: ${Array.isArray(action.answer) ? action.answer.join(', ') : action.answer}`;
  const args = typeof action.args === 'string' ? action.args : Array.isArray(action.args) ? action.args.join(', ') : JSON.stringify(action.args);
  return `${action.name}: ${args}`;
}
