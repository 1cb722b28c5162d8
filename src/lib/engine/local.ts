import * as Comlink from 'comlink';
import type { InjectedFault, LlmWorkerApi } from '../../../workers/llm.worker';
import type { StoredModelSummary } from '../models/storage';
import type { AdapterReport, Device, Engine, ModelDtype, GenerateRequest, GenerateResult, KvStats, LoadOptions, LoadProgress, LoadReport, TokenEvent } from './types';
import { installErrorTransfer } from './comlink-errors';
import { EngineError } from './errors';
import { StopFlag } from './stop-flag';
import { DEFAULT_WATCHDOG_LIMITS, Watchdog, describeVerdict, type CallKind, type WatchdogLimits, type WorkerActivity } from './watchdog';
import { lifetimeLockHeld, lifetimeLockName } from '../util/lifetime-lock';

export interface LocalEngineOptions {
  /** Starts a model worker; `name` is its lifetime lock (util/lifetime-lock.ts), passed as the Worker's name. */
  createWorker?: (name: string) => Worker;
  /** Whether a context still holds a lifetime lock; injectable for tests (default: the browser's Web Locks). */
  lockHeld?: (name: string) => Promise<boolean>;
  /** The watchdog's limits (see watchdog.ts for the defaults and why); false turns it off. */
  watchdog?: Partial<WatchdogLimits> | false;
  /** Lets `injectFault` through (tests only: the app sets it for `?test_faults`). */
  faultInjection?: boolean;
  /** The clock the watchdog reads; injectable for tests. */
  now?: () => number;
}

/** One spawned worker and what watches it. */
interface Spawned {
  worker: Worker;
  remote: Comlink.Remote<LlmWorkerApi>;
  /** Rejects every call still waiting on this worker once it is replaced. */
  died: Promise<never>;
  kill: (error: EngineError) => void;
  watchdog: Watchdog | null;
  timer: ReturnType<typeof setInterval> | null;
  pinging: boolean;
  lockName: string;
  /** The worker was seen holding its lifetime lock: once it no longer does, its context is gone. */
  lockSeen: boolean;
}

/**
 * The page-side Engine: a Comlink client of workers/llm.worker.ts. After a fatal error (GPU device lost,
 * out of memory), a crash or a hang (the watchdog, see watchdog.ts), the worker is replaced so a later
 * `load` starts clean without a page reload; calls still waiting on the old worker are rejected with the error.
 */
export class LocalEngine implements Engine {
  private current!: Spawned;
  private lastLoad: LoadOptions | null = null;
  private readonly createWorker: (name: string) => Worker;
  private readonly lockHeld: (name: string) => Promise<boolean>;
  private readonly limits: WatchdogLimits | null;
  private readonly faultInjection: boolean;
  private readonly now: () => number;
  /** Shared with every worker this engine spawns; null where the page is not cross-origin isolated. */
  private readonly stopFlag = StopFlag.create();
  /** Numbers generations on the stop flag (0: none yet). */
  private generationId = 0;
  /**
   * Tokens the running generation had made when `interrupt()` was last called, read from the worker's shared
   * counter (null without shared memory): with the result's `tokens`, the stop latency in decode steps.
   */
  tokensAtInterrupt: number | null = null;
  /** Called when the worker died, hung or the GPU was lost: the UI should offer to reload. */
  onFatal: ((error: EngineError) => void) | null = null;

  constructor(options: LocalEngineOptions | (() => Worker) = {}) {
    const o = typeof options === 'function' ? { createWorker: options } : options;
    this.createWorker = o.createWorker ?? defaultWorker;
    this.lockHeld = o.lockHeld ?? lifetimeLockHeld;
    this.limits = o.watchdog === false ? null : { ...DEFAULT_WATCHDOG_LIMITS, ...o.watchdog };
    this.faultInjection = o.faultInjection ?? false;
    this.now = o.now ?? (() => performance.now());
    installErrorTransfer();
    this.spawn();
  }

  private spawn(): void {
    const lockName = lifetimeLockName('llm');
    const worker = this.createWorker(lockName);
    let kill!: (error: EngineError) => void;
    const died = new Promise<never>((_, reject) => (kill = reject));
    died.catch(() => {});
    const spawned: Spawned = {
      worker,
      remote: Comlink.wrap<LlmWorkerApi>(worker),
      died,
      kill,
      watchdog: this.limits ? new Watchdog(this.limits) : null,
      timer: null,
      pinging: false,
      lockName,
      lockSeen: false,
    };
    this.current = spawned;
    if (this.stopFlag) void spawned.remote.shareStopFlag(this.stopFlag.buffer).catch(() => {});
    const alive = () => this.current === spawned;
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      if (alive()) this.fail(new EngineError('runtime', `The model worker crashed (${event.message || 'no message'}). Reload the model to continue; your conversation is kept.`));
    });
    void spawned.remote
      .onDeviceLost(
        Comlink.proxy((message: string) => {
          if (alive()) this.fail(new EngineError('device-lost', `The GPU device was lost (${message}). Reload the model to continue; your conversation is kept.`));
        }),
      )
      .catch(() => {});
    if (spawned.watchdog) {
      const watchdog = spawned.watchdog;
      void spawned.remote.onActivity(Comlink.proxy((activity: WorkerActivity) => watchdog.activity(activity, this.now()))).catch(() => {});
    }
  }

  private fail(error: EngineError): void {
    const old = this.current;
    if (old.timer !== null) clearInterval(old.timer);
    old.worker.terminate();
    old.kill(error);
    this.spawn();
    this.onFatal?.(error);
  }

  /** Runs one call on the current worker under the watchdog; rejects if the worker is replaced meanwhile. */
  private async call<T>(kind: CallKind, run: (remote: Comlink.Remote<LlmWorkerApi>, watch: Watch) => Promise<T>): Promise<T> {
    const spawned = this.current;
    const watchdog = spawned.watchdog;
    const id = watchdog?.begin(kind, this.now()) ?? 0;
    this.arm(spawned);
    const watch: Watch = {
      loadPhase: (phase) => watchdog?.loadProgress(id, phase, this.now()),
      token: () => watchdog?.token(this.now()),
    };
    try {
      return await Promise.race([run(spawned.remote, watch), spawned.died]);
    } catch (e) {
      if (e instanceof EngineError && e.fatal && this.current === spawned) this.fail(e);
      throw e;
    } finally {
      watchdog?.end(id, this.now());
      this.disarm(spawned);
    }
  }

  /** Starts pinging and checking while calls are in flight. */
  private arm(spawned: Spawned): void {
    const watchdog = spawned.watchdog;
    if (!watchdog || spawned.timer !== null) return;
    spawned.timer = setInterval(() => {
      if (this.current !== spawned) return;
      const verdict = watchdog.check(this.now());
      if (verdict) {
        this.fail(new EngineError('unresponsive', describeVerdict(verdict), { ...verdict }));
        return;
      }
      // A worker that exited without an error event (a wasm abort on the CPU, the browser reclaiming it) answers
      // no ping, which a blocking forward pass is excused from: its released lifetime lock tells the two apart.
      void this.lockHeld(spawned.lockName).then((held) => {
        if (held) spawned.lockSeen = true;
        if (held || !spawned.lockSeen || this.current !== spawned) return;
        const exited = watchdog.exited(this.now());
        if (exited) this.fail(new EngineError('unresponsive', describeVerdict(exited), { ...exited }));
      });
      if (spawned.pinging) return;
      spawned.pinging = true;
      spawned.remote.ping().then(
        () => {
          spawned.pinging = false;
          watchdog.heard(this.now());
        },
        () => {
          spawned.pinging = false;
        },
      );
    }, watchdog.limits.pingIntervalMs);
  }

  private disarm(spawned: Spawned): void {
    if (spawned.timer === null || spawned.watchdog?.watching) return;
    clearInterval(spawned.timer);
    spawned.timer = null;
  }

  adapter(): Promise<AdapterReport> {
    return this.call('other', (remote) => remote.adapter());
  }

  load(options: LoadOptions, onProgress?: (p: LoadProgress) => void): Promise<LoadReport> {
    this.lastLoad = options;
    return this.call('load', (remote, watch) =>
      remote.load(
        options,
        Comlink.proxy((p: LoadProgress) => {
          watch.loadPhase(p.phase);
          onProgress?.(p);
        }),
      ),
    );
  }

  /** Downloads and verifies a model's files without loading it (the model manager's download button). */
  download(options: LoadOptions, onProgress?: (p: LoadProgress) => void): Promise<{ device: Device; dtype: ModelDtype; reasons: string[] }> {
    return this.call('download', (remote, watch) =>
      remote.download(
        options,
        Comlink.proxy((p: LoadProgress) => {
          watch.loadPhase(p.phase);
          onProgress?.(p);
        }),
      ),
    );
  }

  storedModels(): Promise<StoredModelSummary[]> {
    return this.call('other', (remote) => remote.storedModels());
  }

  deleteStoredModel(id: string): Promise<number> {
    return this.call('other', (remote) => remote.deleteStoredModel(id));
  }

  /** Loads the last model again, e.g. after a GPU device loss. */
  reload(onProgress?: (p: LoadProgress) => void): Promise<LoadReport> {
    if (!this.lastLoad) throw new EngineError('not-loaded', 'No model was loaded before.');
    return this.load(this.lastLoad, onProgress);
  }

  generate(request: GenerateRequest, onToken?: (e: TokenEvent) => void): Promise<GenerateResult> {
    const id = ++this.generationId;
    return this.call('generate', (remote, watch) =>
      remote.generate(
        request,
        Comlink.proxy((e: TokenEvent) => {
          watch.token();
          onToken?.(e);
        }),
        id,
      ),
    );
  }

  /** Raises the shared stop flag at once (the decode loop reads it between steps), and tells the worker too. */
  interrupt(): Promise<void> {
    this.tokensAtInterrupt = this.stopFlag?.stop(this.generationId) ?? null;
    return this.call('other', (remote) => remote.interrupt());
  }

  reset(): Promise<void> {
    return this.call('other', (remote) => remote.reset());
  }

  countTokens(text: string): Promise<number> {
    return this.call('other', (remote) => remote.countTokens(text));
  }

  /** The ids `generate` feeds for this prompt text, BOS included (for tests and diagnostics). */
  tokenize(text: string): Promise<number[]> {
    return this.call('other', (remote) => remote.tokenize(text));
  }

  unload(): Promise<void> {
    return this.call('other', (remote) => remote.unload());
  }

  stats(): Promise<KvStats> {
    return this.call('other', (remote) => remote.stats());
  }

  /** Replaces the worker outright (used by the booth's recovery). */
  restart(): void {
    const old = this.current;
    if (old.timer !== null) clearInterval(old.timer);
    old.worker.terminate();
    old.kill(new EngineError('runtime', 'The model worker was restarted; load the model again.'));
    this.spawn();
  }

  /**
   * Test-only: makes the worker's next generation hang ('spin': a synchronous endless loop after its first
   * token; 'stall': no answer and no message after it). Refused unless the engine was built to allow it.
   */
  injectFault(kind: InjectedFault): Promise<void> {
    if (!this.faultInjection) return Promise.reject(new Error('Fault injection is off: open the page with ?test_faults (tests only).'));
    return this.current.remote.injectFault(kind);
  }
}

interface Watch {
  loadPhase(phase: LoadProgress['phase']): void;
  token(): void;
}

function defaultWorker(name: string): Worker {
  return new Worker(new URL('../../../workers/llm.worker.ts', import.meta.url), { type: 'module', name });
}
