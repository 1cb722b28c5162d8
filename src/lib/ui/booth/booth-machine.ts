/**
 * The booth's unattended behaviour as a state machine over injectable timers (unit-tested with fake time):
 * attract screen -> (tap) active -> (idle) warning with a countdown -> attract; a fatal engine error moves to
 * recovering until the model is back. Idle time does not run while an episode is running.
 */

export type BoothState = 'attract' | 'active' | 'warning' | 'recovering';

export interface BoothTimings {
  /** Quiet time in the active screen before the warning. */
  idleMs: number;
  /** Length of the visible countdown before the reset. */
  warnMs: number;
  /** How long each featured task shows on the attract screen. */
  rotateMs: number;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface BoothHooks {
  /** Called when a countdown ran out: clear the conversation (the model stays loaded). */
  onReset(): void;
  /** Called after every change of state, countdown or featured index. */
  onChange(): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as number),
  setInterval: (fn, ms) => globalThis.setInterval(fn, ms),
  clearInterval: (h) => globalThis.clearInterval(h as number),
};

export class BoothMachine {
  state: BoothState = 'attract';
  /** Whole seconds left in the warning countdown (0 outside it). */
  secondsLeft = 0;
  featuredIndex = 0;
  private busy = false;
  private idleTimer: unknown = null;
  private countdown: unknown = null;
  private rotation: unknown = null;

  constructor(
    private timings: BoothTimings,
    private featuredCount: number,
    private readonly hooks: BoothHooks,
    private readonly timers: Timers = realTimers,
  ) {
    this.startRotation();
  }

  /** A tap anywhere. Returns true when it started a visit (the caller goes full screen then). */
  tap(): boolean {
    if (this.state === 'attract') {
      this.enter('active');
      return true;
    }
    this.activity();
    return false;
  }

  /** Any input from a visitor (pointer, key, typing): pushes the idle reset back; ends a warning. */
  activity(): void {
    if (this.state === 'warning') this.enter('active');
    else if (this.state === 'active') this.armIdle();
  }

  /** While busy (an episode running) the visitor is watching, so idle time does not count. */
  setBusy(busy: boolean): void {
    this.busy = busy;
    if (this.state === 'active') this.armIdle();
  }

  /** The engine failed fatally: stop every timer until `recovered()`. */
  recovering(): void {
    this.enter('recovering');
  }

  recovered(): void {
    if (this.state === 'recovering') this.enter('attract');
  }

  /** New settings take effect from the next timer armed. */
  setTimings(timings: BoothTimings): void {
    this.timings = timings;
    if (this.state === 'active') this.armIdle();
    if (this.state === 'attract') this.startRotation();
  }

  dispose(): void {
    this.clearAll();
  }

  private enter(state: BoothState): void {
    this.clearAll();
    this.state = state;
    this.secondsLeft = 0;
    if (state === 'attract') this.startRotation();
    if (state === 'active') this.armIdle();
    if (state === 'warning') this.startCountdown();
    this.hooks.onChange();
  }

  private armIdle(): void {
    this.timers.clearTimeout(this.idleTimer);
    this.idleTimer = this.busy ? null : this.timers.setTimeout(() => this.enter('warning'), this.timings.idleMs);
  }

  private startCountdown(): void {
    let left = this.timings.warnMs;
    this.secondsLeft = Math.ceil(left / 1000);
    this.countdown = this.timers.setInterval(() => {
      left -= 1000;
      if (left > 0) {
        this.secondsLeft = Math.ceil(left / 1000);
        this.hooks.onChange();
        return;
      }
      this.enter('attract');
      this.hooks.onReset();
    }, 1000);
  }

  /** The featured tasks the booth really shows (some may be left out once it knows what the site serves). */
  setFeaturedCount(count: number): void {
    this.featuredCount = count;
    this.featuredIndex = 0;
    this.startRotation();
  }

  private startRotation(): void {
    this.timers.clearInterval(this.rotation);
    this.rotation =
      this.featuredCount > 1
        ? this.timers.setInterval(() => {
            this.featuredIndex = (this.featuredIndex + 1) % this.featuredCount;
            this.hooks.onChange();
          }, this.timings.rotateMs)
        : null;
  }

  private clearAll(): void {
    this.timers.clearTimeout(this.idleTimer);
    this.timers.clearInterval(this.countdown);
    this.timers.clearInterval(this.rotation);
    this.idleTimer = this.countdown = this.rotation = null;
  }
}
