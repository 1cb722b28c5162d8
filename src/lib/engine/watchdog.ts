/**
 * Decides when the model worker is hung rather than slow. Pure timing logic: every method takes the
 * current time, so it runs under a fake clock in the unit tests; `LocalEngine` feeds it and acts on it.
 *
 * Two signals, because a hung worker shows one of two faces:
 * - **Silence** (the worker's event loop is blocked: a synchronous infinite loop in JS or wasm, a
 *   wasm kernel that never returns). While a call is in flight the page pings the worker; any message
 *   from it (a ping's answer, a token, a progress or step event, a call's result) counts as a sign of
 *   life. On WebGPU the worker answers between awaits even while the GPU works for many seconds, so a
 *   long silence means a blocked event loop. Stretches that legitimately block it are announced first
 *   and exempt: creating the ONNX Runtime session (load's `compile` phase) and every forward pass on
 *   the CPU (wasm), where the computation runs synchronously on the worker's thread.
 * - **No progress** (the event loop answers pings but the call goes nowhere: a wedged WebGPU queue
 *   whose `mapAsync` never resolves, a driver hang that never reports a device loss, a promise that
 *   never settles). Each call carries a budget until its next progress event; the budget follows what
 *   the worker said it is doing, sized for the slowest hardware the app supports, not the typical one.
 *
 * A third face is a worker that is simply gone: it exited without an error event (a wasm abort on the CPU, the
 * browser reclaiming it). Silence would catch it, except during a blocking forward pass, which is excused for up
 * to its whole budget; `LocalEngine` checks the worker's lifetime lock at every ping and reports its release
 * through `exited`, so a dead worker is noticed within one ping interval.
 *
 * Why these numbers (defaults; `?watchdog=<s>` sets the silence limit):
 * - silence 60 s: outside announced blocking steps the worker's longest synchronous stretches are
 *   tokenizing a 4k-token prompt, sampling over 32k logits and hashing one download chunk, all well
 *   under a second on slow hardware. 60 s is two orders of magnitude above that and still short enough
 *   for an unattended booth.
 * - one forward pass: 120 s + 1 s per input token (a 512-token prefill chunk: 632 s; a decode step:
 *   121 s). A 7B prefill of 512 tokens is about 7 TFLOP: tens of seconds on a weak integrated
 *   GPU, about 8 minutes on the CPU (wasm) at the ~1 token/s a 7B gets there. The first run of each
 *   shape also compiles GPU pipelines. The per-token term keeps even the CPU case inside the budget.
 * - between forward passes (sampling, tokenizing, the next step's announcement): 120 s.
 * - load before any file (manifest fetch, adapter probe, runtime import): 5 min; download: no limit
 *   (bytes arriving are the progress; a slow or dropped connection is the downloader's business, and
 *   the worker's liveness is still checked by silence); compile (read ~4 GB from storage, create the
 *   session, upload the weights): 10 min, and exempt from silence; warm-up: one forward, as above.
 * - other calls (countTokens, reset, storage listing, ...): silence only, no progress budget: they
 *   answer at once, or wait legitimately (deleting a model waits for another tab's download).
 */

export interface WatchdogLimits {
  /** How often the page pings the worker while a call is in flight. */
  pingIntervalMs: number;
  /** No message at all from the worker for this long, outside an announced blocking step: hung. */
  silenceMs: number;
  /** Budget of `load`/`download` before the first file is reported. */
  startMs: number;
  /** Budget of load's `compile` phase (reading the weights, creating the session). */
  compileMs: number;
  /** Budget of one forward pass: `stepBaseMs + stepPerTokenMs * tokens`. */
  stepBaseMs: number;
  stepPerTokenMs: number;
  /** Budget of a generation between its progress events (tokens, steps). */
  betweenStepsMs: number;
}

export const DEFAULT_WATCHDOG_LIMITS: WatchdogLimits = {
  pingIntervalMs: 2_000,
  silenceMs: 60_000,
  startMs: 5 * 60_000,
  compileMs: 10 * 60_000,
  stepBaseMs: 120_000,
  stepPerTokenMs: 1_000,
  betweenStepsMs: 120_000,
};

/** Limits for `?watchdog=<seconds>`: the silence limit set, pings at least four times within it. */
export function watchdogLimits(silenceSeconds?: number): WatchdogLimits {
  if (silenceSeconds === undefined) return DEFAULT_WATCHDOG_LIMITS;
  const silenceMs = silenceSeconds * 1000;
  return { ...DEFAULT_WATCHDOG_LIMITS, silenceMs, pingIntervalMs: Math.min(DEFAULT_WATCHDOG_LIMITS.pingIntervalMs, Math.max(50, silenceMs / 4)) };
}

export type CallKind = 'load' | 'download' | 'generate' | 'other';
export type LoadPhase = 'download' | 'compile' | 'warmup' | 'ready';

/** What the worker announced (through its activity channel) about the model's own work. */
export type WorkerActivity =
  /** A forward pass of `tokens` input tokens starts; `blocking` when it runs on the worker's thread (wasm). */
  | { type: 'step'; tokens: number; blocking: boolean }
  | { type: 'step-done' };

export interface WatchdogVerdict {
  reason: 'silent' | 'stalled' | 'exited';
  call: CallKind;
  /** What the call was doing, in words: "generating (one forward pass of 512 tokens)". */
  activity: string;
  waitedMs: number;
  limitMs: number;
}

interface Watched {
  kind: CallKind;
  since: number;
  budgetMs: number;
  blocking: boolean;
  activity: string;
}

const VERB: Record<CallKind, string> = { load: 'loading the model', download: 'downloading the model', generate: 'generating', other: 'answering a request' };

export class Watchdog {
  private readonly calls = new Map<number, Watched>();
  private nextId = 1;
  private lastHeard = 0;

  constructor(readonly limits: WatchdogLimits = DEFAULT_WATCHDOG_LIMITS) {}

  get watching(): boolean {
    return this.calls.size > 0;
  }

  /** A call to the worker starts; returns its id for `end` and `loadPhase`. */
  begin(kind: CallKind, now: number): number {
    if (this.calls.size === 0) this.lastHeard = now;
    const id = this.nextId++;
    const budgetMs = kind === 'load' || kind === 'download' ? this.limits.startMs : kind === 'generate' ? this.limits.betweenStepsMs : Infinity;
    this.calls.set(id, { kind, since: now, budgetMs, blocking: false, activity: kind === 'generate' ? 'preparing the prompt' : 'starting' });
    return id;
  }

  end(id: number, now: number): void {
    this.calls.delete(id);
    this.heard(now);
  }

  /** Any message from the worker: a ping's answer, a callback, a result. */
  heard(now: number): void {
    this.lastHeard = Math.max(this.lastHeard, now);
  }

  /** A load or download reported progress in `phase`. */
  loadProgress(id: number, phase: LoadPhase, now: number): void {
    const call = this.calls.get(id);
    this.heard(now);
    if (!call) return;
    call.since = now;
    call.blocking = phase === 'compile';
    call.activity = `the ${phase} phase`;
    call.budgetMs = phase === 'download' ? Infinity : phase === 'compile' ? this.limits.compileMs : this.limits.startMs;
  }

  /** A generation produced a token. */
  token(now: number): void {
    this.heard(now);
    for (const call of this.calls.values()) {
      if (call.kind !== 'generate') continue;
      Object.assign(call, { since: now, blocking: false, budgetMs: this.limits.betweenStepsMs, activity: 'between forward passes' });
    }
  }

  /** The worker's model work (a load's warm-up or a generation) started or ended a forward pass. */
  activity(event: WorkerActivity, now: number): void {
    this.heard(now);
    for (const call of this.calls.values()) {
      if (call.kind !== 'load' && call.kind !== 'generate') continue;
      call.since = now;
      if (event.type === 'step') {
        call.blocking = event.blocking;
        call.budgetMs = this.stepBudgetMs(event.tokens);
        call.activity = `one forward pass of ${event.tokens} token${event.tokens === 1 ? '' : 's'}${event.blocking ? ' on the CPU' : ''}`;
      } else {
        call.blocking = false;
        call.budgetMs = call.kind === 'generate' ? this.limits.betweenStepsMs : this.limits.startMs;
        call.activity = 'between forward passes';
      }
    }
  }

  stepBudgetMs(tokens: number): number {
    return this.limits.stepBaseMs + this.limits.stepPerTokenMs * tokens;
  }

  /** The worker's context is gone (its lifetime lock was released): the verdict for the calls in flight, if any. */
  exited(now: number): WatchdogVerdict | null {
    if (this.calls.size === 0) return null;
    const call = this.oldest();
    return { reason: 'exited', call: call.kind, activity: `${VERB[call.kind]} (${call.activity})`, waitedMs: now - this.lastHeard, limitMs: 0 };
  }

  /** Whether the worker is hung now; null while it is fine or nothing is in flight. */
  check(now: number): WatchdogVerdict | null {
    if (this.calls.size === 0) return null;
    let blocking = false;
    for (const call of this.calls.values()) {
      if (now - call.since > call.budgetMs) {
        return { reason: 'stalled', call: call.kind, activity: `${VERB[call.kind]} (${call.activity})`, waitedMs: now - call.since, limitMs: call.budgetMs };
      }
      blocking ||= call.blocking;
    }
    if (!blocking && now - this.lastHeard > this.limits.silenceMs) {
      const call = this.oldest();
      return { reason: 'silent', call: call.kind, activity: `${VERB[call.kind]} (${call.activity})`, waitedMs: now - this.lastHeard, limitMs: this.limits.silenceMs };
    }
    return null;
  }

  private oldest(): Watched {
    // Model work first: it is what the user waits for.
    const calls = [...this.calls.values()];
    return calls.find((c) => c.kind === 'generate' || c.kind === 'load') ?? calls[0];
  }
}

/** The message for the user: what happened, and what they can do. */
export function describeVerdict(v: WatchdogVerdict): string {
  const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
  const what =
    v.reason === 'exited'
      ? `The model worker exited without a word while ${v.activity} (the browser may have run out of memory for it).`
      : v.reason === 'silent'
      ? `The model worker stopped responding: no sign of life for ${seconds(v.waitedMs)} while ${v.activity} (a GPU driver hang or a runaway computation).`
      : `The model made no progress for ${seconds(v.waitedMs)} while ${v.activity}, past its ${seconds(v.limitMs)} allowance (the GPU may be stuck).`;
  return `${what} It was stopped. Restart the model to continue; your conversation and the downloaded model files are kept.`;
}
