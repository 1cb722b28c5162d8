export type WakeLockState = 'held' | 'released' | 'unsupported' | 'denied';

/**
 * Keeps the screen on while the booth runs. The browser drops a wake lock whenever the page is hidden,
 * so it is requested again each time the page becomes visible.
 */
export class ScreenWakeLock {
  private sentinel: WakeLockSentinel | null = null;
  private wanted = false;

  constructor(private readonly onState: (state: WakeLockState) => void) {
    document.addEventListener('visibilitychange', () => {
      if (this.wanted && document.visibilityState === 'visible') void this.acquire();
    });
  }

  async acquire(): Promise<void> {
    this.wanted = true;
    if (!('wakeLock' in navigator)) return this.onState('unsupported');
    if (this.sentinel && !this.sentinel.released) return;
    try {
      this.sentinel = await navigator.wakeLock.request('screen');
      this.onState('held');
      this.sentinel.addEventListener('release', () => this.onState('released'));
    } catch {
      this.onState('denied');
    }
  }
}
