import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/lib/util/format';
import { parseContentRange, planResponse } from '../../src/lib/models/http-range';
import { SpeedMeter, secondsLeft } from '../../src/lib/models/progress';

describe('parseContentRange', () => {
  it('reads ranges, unknown totals and the 416 form', () => {
    expect(parseContentRange('bytes 100-199/1000')).toEqual({ start: 100, end: 199, total: 1000 });
    expect(parseContentRange('bytes 0-9/*')).toEqual({ start: 0, end: 9, total: null });
    expect(parseContentRange('bytes */1000')).toEqual({ start: -1, end: -1, total: 1000 });
    expect(parseContentRange('items 0-1/2')).toBeNull();
    expect(parseContentRange(null)).toBeNull();
  });
});

describe('planResponse', () => {
  const size = 1000;
  it('appends a fresh 200 and a 206 that starts where asked', () => {
    expect(planResponse(200, null, 0, size)).toEqual({ kind: 'append' });
    expect(planResponse(206, 'bytes 400-999/1000', 400, size)).toEqual({ kind: 'append' });
    expect(planResponse(206, 'bytes 400-999/*', 400, size)).toEqual({ kind: 'append' });
  });
  it('trusts a 206 whose Content-Range is hidden (cross-origin without Access-Control-Expose-Headers)', () => {
    expect(planResponse(206, null, 400, size)).toEqual({ kind: 'append' });
  });
  it('restarts with the body when a ranged request got 200', () => {
    expect(planResponse(200, null, 400, size)).toEqual({ kind: 'restart-with-body' });
  });
  it('restarts when the 206 range is not the one asked for or unreadable', () => {
    expect(planResponse(206, 'bytes 0-999/1000', 400, size)).toEqual({ kind: 'restart' });
    expect(planResponse(206, 'bytes x-y/z', 400, size)).toEqual({ kind: 'restart' });
    expect(planResponse(206, 'bytes 400-1200/1000', 400, size)).toEqual({ kind: 'restart' });
  });
  it('reports a server copy of another size (206 total or 416)', () => {
    expect(planResponse(206, 'bytes 400-1199/1200', 400, size)).toEqual({ kind: 'wrong-size', serverBytes: 1200 });
    expect(planResponse(416, 'bytes */400', 400, size)).toEqual({ kind: 'wrong-size', serverBytes: 400 });
  });
  it('sorts missing, transient and other statuses', () => {
    expect(planResponse(404, null, 0, size)).toEqual({ kind: 'missing' });
    expect(planResponse(403, null, 0, size)).toEqual({ kind: 'missing' });
    expect(planResponse(503, null, 0, size)).toEqual({ kind: 'retry', detail: 'HTTP 503' });
    expect(planResponse(429, null, 0, size)).toEqual({ kind: 'retry', detail: 'HTTP 429' });
    expect(planResponse(400, null, 0, size)).toEqual({ kind: 'fail', detail: 'unexpected HTTP 400' });
  });
});

describe('SpeedMeter', () => {
  it('measures bytes per second over the sliding window', () => {
    const meter = new SpeedMeter(5000);
    // 10 KB every 100 ms for 10 s: 100 KB/s.
    for (let t = 0; t <= 10_000; t += 100) meter.add(10_000, t);
    expect(meter.bytesPerSecond(10_000)).toBeCloseTo(100_000, -2);
  });
  it('follows a change of speed within the window, not the whole history', () => {
    const meter = new SpeedMeter(2000);
    for (let t = 0; t <= 10_000; t += 100) meter.add(t <= 5000 ? 10_000 : 1_000, t);
    expect(meter.bytesPerSecond(10_000)).toBeCloseTo(10_000, -2);
  });
  it('gives 0 until measurable and after a pause longer than the window', () => {
    const meter = new SpeedMeter(5000);
    meter.add(1_000_000, 0);
    meter.add(1_000_000, 10);
    expect(meter.bytesPerSecond(10)).toBe(0);
    for (let t = 100; t <= 3000; t += 100) meter.add(1000, t);
    expect(meter.bytesPerSecond(3000)).toBeGreaterThan(0);
    expect(meter.bytesPerSecond(9000)).toBe(0);
  });
  it('turns speed into time left', () => {
    expect(secondsLeft(1_000_000, 250_000)).toBe(4);
    expect(secondsLeft(1000, 0)).toBeNull();
    expect(secondsLeft(0, 0)).toBe(0);
  });
});

describe('formatBytes', () => {
  it('uses decimal units like disk and browser storage settings do', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3_870_000_000)).toBe('3.87 GB');
    expect(formatBytes(670_022)).toBe('670.0 KB');
  });
});
