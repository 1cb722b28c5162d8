/**
 * A stop signal the page raises and the worker's decode loop reads between steps, in shared memory: on wasm a
 * forward pass keeps the worker's event loop busy, so a posted `interrupt()` would wait until the reply ends.
 * Slot 0 holds the number of the newest generation to stop (every generation numbered up to it stops, so a
 * late stop cannot hit the next one); slot 1 the tokens the running generation has made, which the page reads
 * when it raises the flag (tests measure the stop latency in decode steps from it).
 */
export class StopFlag {
  private readonly slots: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.slots = new Int32Array(buffer);
  }

  /** A flag in fresh shared memory; null where the page is not cross-origin isolated (no SharedArrayBuffer). */
  static create(): StopFlag | null {
    const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
    return isolated && typeof SharedArrayBuffer === 'function' ? new StopFlag(new SharedArrayBuffer(8)) : null;
  }

  /** Stops generation `id` and every earlier one; returns the tokens the running one had made. */
  stop(id: number): number {
    Atomics.store(this.slots, 0, Math.max(id, Atomics.load(this.slots, 0)));
    return Atomics.load(this.slots, 1);
  }

  stopped(id: number): boolean {
    return id > 0 && Atomics.load(this.slots, 0) >= id;
  }

  progress(tokens: number): void {
    Atomics.store(this.slots, 1, tokens);
  }
}
