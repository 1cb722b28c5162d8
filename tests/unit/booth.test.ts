import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { BoothMachine, type BoothTimings } from '../../src/lib/ui/booth/booth-machine';
import { LongPress } from '../../src/lib/ui/booth/long-press';
import { BOOTH_DEFAULTS, readBoothSettings } from '../../src/lib/ui/booth/booth-settings';

const timings: BoothTimings = { idleMs: 30_000, warnMs: 5_000, rotateMs: 4_000 };

describe('BoothMachine', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function machine(count = 3) {
    const resets: number[] = [];
    const m = new BoothMachine(timings, count, { onReset: () => resets.push(Date.now()), onChange: () => {} });
    return { m, resets };
  }

  test('attract rotates through the featured tasks and wraps around', () => {
    const { m } = machine(3);
    expect(m.state).toBe('attract');
    vi.advanceTimersByTime(4_000);
    expect(m.featuredIndex).toBe(1);
    vi.advanceTimersByTime(8_000);
    expect(m.featuredIndex).toBe(0);
  });

  test('the first tap starts a visit; later taps do not', () => {
    const { m } = machine();
    expect(m.tap()).toBe(true);
    expect(m.state).toBe('active');
    expect(m.tap()).toBe(false);
    const index = m.featuredIndex;
    vi.advanceTimersByTime(12_000);
    expect(m.featuredIndex, 'no rotation during a visit').toBe(index);
  });

  test('idle time leads to a counting-down warning, then a reset to attract', () => {
    const { m, resets } = machine();
    m.tap();
    vi.advanceTimersByTime(29_999);
    expect(m.state).toBe('active');
    vi.advanceTimersByTime(1);
    expect(m.state).toBe('warning');
    expect(m.secondsLeft).toBe(5);
    vi.advanceTimersByTime(2_000);
    expect(m.secondsLeft).toBe(3);
    expect(resets).toHaveLength(0);
    vi.advanceTimersByTime(3_000);
    expect(m.state).toBe('attract');
    expect(resets).toHaveLength(1);
    vi.advanceTimersByTime(120_000);
    expect(resets, 'attract does not reset again').toHaveLength(1);
  });

  test('activity pushes the idle time back, and a tap during the warning cancels it', () => {
    const { m, resets } = machine();
    m.tap();
    vi.advanceTimersByTime(20_000);
    m.activity();
    vi.advanceTimersByTime(20_000);
    expect(m.state).toBe('active');
    vi.advanceTimersByTime(10_000);
    expect(m.state).toBe('warning');
    vi.advanceTimersByTime(4_000);
    m.tap();
    expect(m.state).toBe('active');
    vi.advanceTimersByTime(29_000);
    expect(m.state).toBe('active');
    expect(resets).toHaveLength(0);
  });

  test('a running episode holds the idle time; it starts counting when the episode ends', () => {
    const { m } = machine();
    m.tap();
    m.setBusy(true);
    vi.advanceTimersByTime(300_000);
    expect(m.state).toBe('active');
    m.setBusy(false);
    vi.advanceTimersByTime(30_000);
    expect(m.state).toBe('warning');
  });

  test('recovering stops every timer; recovered returns to attract', () => {
    const { m, resets } = machine();
    m.tap();
    m.recovering();
    vi.advanceTimersByTime(300_000);
    expect(m.state).toBe('recovering');
    expect(resets).toHaveLength(0);
    m.recovered();
    expect(m.state).toBe('attract');
    vi.advanceTimersByTime(4_000);
    expect(m.featuredIndex).toBe(1);
  });

  test('new timings apply to the running idle timer', () => {
    const { m } = machine();
    m.tap();
    m.setTimings({ ...timings, idleMs: 5_000 });
    vi.advanceTimersByTime(5_000);
    expect(m.state).toBe('warning');
  });
});

describe('LongPress', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test('fires after the hold time, once, and not when released early or moved', () => {
    let fired = 0;
    const press = new LongPress(1_500, () => fired++);
    press.down(10, 10);
    vi.advanceTimersByTime(1_000);
    press.up();
    vi.advanceTimersByTime(5_000);
    expect(fired).toBe(0);
    press.down(10, 10);
    press.move(30, 10);
    vi.advanceTimersByTime(5_000);
    expect(fired).toBe(0);
    press.down(10, 10);
    press.move(15, 14);
    vi.advanceTimersByTime(1_500);
    expect(fired).toBe(1);
    vi.advanceTimersByTime(5_000);
    expect(fired).toBe(1);
  });
});

describe('readBoothSettings', () => {
  test('defaults without parameters or saved settings', () => {
    expect(readBoothSettings('https://x/?booth', null)).toEqual(BOOTH_DEFAULTS);
  });

  test('URL wins over saved settings, saved over defaults; values are clamped', () => {
    const saved = JSON.stringify({ idleSeconds: 120, warnSeconds: 20, featured: ['kg'] });
    const s = readBoothSettings('https://x/?booth&idle=7&max_turns=999&featured=household,nope,shop', saved);
    expect(s.idleSeconds).toBe(7);
    expect(s.warnSeconds).toBe(20);
    expect(s.maxTurns).toBe(50);
    expect(s.featured).toEqual(['household', 'shop']);
    expect(readBoothSettings('https://x/?idle=1', null).idleSeconds).toBe(5);
  });

  test('replays=0 runs the test model instead of expert replays', () => {
    expect(readBoothSettings('https://x/?booth&replays=0', null).expertReplays).toBe(false);
    expect(readBoothSettings('https://x/?booth&replays=1', JSON.stringify({ expertReplays: false })).expertReplays).toBe(true);
    expect(readBoothSettings('https://x/?booth&replays=maybe', null).expertReplays).toBe(true);
  });

  test('bad values and broken saved JSON are ignored', () => {
    const s = readBoothSettings('https://x/?idle=soon&featured=,,', '{not json');
    expect(s).toEqual(BOOTH_DEFAULTS);
  });
});
