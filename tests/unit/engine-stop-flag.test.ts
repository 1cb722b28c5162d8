import { describe, expect, test } from 'vitest';
import { StopFlag } from '../../src/lib/engine/stop-flag';

describe('StopFlag (shared by the page and the worker)', () => {
  test('stops the numbered generation and every earlier one, never a later one', () => {
    const page = new StopFlag(new SharedArrayBuffer(8));
    const worker = new StopFlag(page.buffer);
    expect(worker.stopped(3)).toBe(false);
    page.stop(3);
    expect([worker.stopped(2), worker.stopped(3), worker.stopped(4)]).toEqual([true, true, false]);
    // A late stop for an older generation does not lift the newer one's.
    page.stop(1);
    expect(worker.stopped(3)).toBe(true);
    // Generation 0 is "not numbered" (a caller without the flag): never stopped by it.
    expect(worker.stopped(0)).toBe(false);
  });

  test('the page reads the tokens the worker had made when it raised the flag', () => {
    const page = new StopFlag(new SharedArrayBuffer(8));
    const worker = new StopFlag(page.buffer);
    worker.progress(17);
    expect(page.stop(1)).toBe(17);
  });

  test('is unavailable without cross-origin isolation', () => {
    expect(StopFlag.create()).toBeNull();
  });
});
