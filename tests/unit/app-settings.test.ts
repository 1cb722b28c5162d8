import { describe, expect, test } from 'vitest';
import { panelSettings, readSettings, urlOverrides } from '../../src/lib/ui/settings';
import { parseRange } from '../../scripts/lib/static-server';

describe('settings', () => {
  test('model origin defaults to models/ under the page, also under a base path', () => {
    expect(readSettings('http://h/demo/index.html', 'models/').modelBaseUrl).toBe('http://h/demo/models/');
    expect(readSettings('http://h/', 'https://cdn.example/m').modelBaseUrl).toBe('https://cdn.example/m/');
  });
  test('URL parameters override, and bad values fall back', () => {
    const s = readSettings('http://h/?device=wasm&dtype=q4&temperature=0&top_p=7&model=x&max_new_tokens=abc', 'models/');
    expect(s).toMatchObject({ device: 'wasm', dtype: 'q4', temperature: 0, topP: 1, modelId: 'x', maxNewTokens: 1024 });
    expect(readSettings('http://h/?device=cuda&dtype=int3', 'models/')).toMatchObject({ device: undefined, dtype: undefined });
  });
  test('the expert replay pace (replay_cps; 0 streams each turn at once) is read and clamped', () => {
    expect(readSettings('http://h/', 'models/').replayCharsPerSecond).toBe(600);
    expect(readSettings('http://h/?replay_cps=0', 'models/').replayCharsPerSecond).toBe(0);
    expect(readSettings('http://h/?replay_cps=-5', 'models/').replayCharsPerSecond).toBe(0);
    expect(readSettings('http://h/?replay_cps=fast', 'models/').replayCharsPerSecond).toBe(600);
  });
  test('the watchdog silence limit (watchdog; 0 turns it off) and test-only fault injection (test_faults)', () => {
    expect(readSettings('http://h/', 'models/')).toMatchObject({ watchdogSeconds: 60, testFaults: false });
    expect(readSettings('http://h/?watchdog=5&test_faults', 'models/')).toMatchObject({ watchdogSeconds: 5, testFaults: true });
    expect(readSettings('http://h/?watchdog=0', 'models/').watchdogSeconds).toBe(0);
    expect(readSettings('http://h/?watchdog=soon', 'models/').watchdogSeconds).toBe(60);
  });
});

describe('Range header parsing', () => {
  test('open, closed and suffix ranges', () => {
    expect(parseRange('bytes=10-', 100)).toEqual({ start: 10, end: 99 });
    expect(parseRange('bytes=10-19', 100)).toEqual({ start: 10, end: 19 });
    expect(parseRange('bytes=-5', 100)).toEqual({ start: 95, end: 99 });
    expect(parseRange('bytes=0-500', 100)).toEqual({ start: 0, end: 99 });
  });
  test('unsatisfiable or malformed ranges are invalid; none is null', () => {
    expect(parseRange('bytes=100-', 100)).toBe('invalid');
    expect(parseRange('bytes=5-2', 100)).toBe('invalid');
    expect(parseRange('items=1-2', 100)).toBe('invalid');
    expect(parseRange(undefined, 100)).toBeNull();
  });
});

describe('saved settings (the Settings panel)', () => {
  const saved = JSON.stringify({ device: 'wasm', dtype: 'fp32', temperature: 0.7, topP: 0.5, maxNewTokens: 99999 });
  test('apply over the defaults, clamped; the URL still wins', () => {
    expect(readSettings('http://h/', 'models/', saved)).toMatchObject({ device: 'wasm', dtype: 'fp32', temperature: 0.7, topP: 0.5, maxNewTokens: 4096 });
    expect(readSettings('http://h/?temperature=0&device=webgpu', 'models/', saved)).toMatchObject({ device: 'webgpu', temperature: 0, topP: 0.5 });
    expect(urlOverrides('http://h/?temperature=0&device=webgpu&top_p=1')).toEqual(['device', 'temperature', 'topP']);
  });
  test('the panel edits the saved values over the defaults, never the address’s', () => {
    expect(panelSettings(saved)).toEqual({ device: 'wasm', dtype: 'fp32', temperature: 0.7, topP: 0.5, maxNewTokens: 4096 });
    expect(panelSettings(null)).toEqual({ temperature: 0.1, topP: 0.8, maxNewTokens: 1024 });
    expect(panelSettings(JSON.stringify({ topP: 0.3 }))).toEqual({ temperature: 0.1, topP: 0.3, maxNewTokens: 1024 });
  });
  test('damaged or foreign values are ignored', () => {
    expect(readSettings('http://h/', 'models/', '{oops')).toMatchObject({ device: undefined, temperature: 0.1, maxNewTokens: 1024 });
    expect(readSettings('http://h/', 'models/', JSON.stringify({ device: 'cuda', temperature: 'hot' }))).toMatchObject({ device: undefined, temperature: 0.1 });
  });
});
