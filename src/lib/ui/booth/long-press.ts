import type { Timers } from './booth-machine';

/**
 * Detects a press held for `holdMs` without moving more than `slopPx` (the booth's hidden settings gesture).
 * Feed it pointer events' positions; `onLongPress` fires once per press, while the finger is still down.
 */
export class LongPress {
  private timer: unknown = null;
  private origin: { x: number; y: number } | null = null;
  /** The last press was a long one: the click that follows its release is not a tap. */
  fired = false;

  constructor(
    private readonly holdMs: number,
    private readonly onLongPress: () => void,
    private readonly timers: Pick<Timers, 'setTimeout' | 'clearTimeout'> = {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as number),
    },
    private readonly slopPx = 12,
  ) {}

  down(x: number, y: number): void {
    this.cancel();
    this.fired = false;
    this.origin = { x, y };
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.origin = null;
      this.fired = true;
      this.onLongPress();
    }, this.holdMs);
  }

  move(x: number, y: number): void {
    if (this.origin && Math.hypot(x - this.origin.x, y - this.origin.y) > this.slopPx) this.cancel();
  }

  up(): void {
    this.cancel();
  }

  private cancel(): void {
    this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.origin = null;
  }
}
