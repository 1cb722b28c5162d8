/**
 * The hung-worker watchdog: its timing policy under a fake clock, and LocalEngine's use of it against a
 * fake worker (a Comlink endpoint in this process) that hangs the two ways a real one can.
 */
import { afterEach, describe, expect, test } from 'vitest';
import * as Comlink from 'comlink';
import { DEFAULT_WATCHDOG_LIMITS as D, Watchdog, describeVerdict, watchdogLimits, type WorkerActivity } from '../../src/lib/engine/watchdog';
import { LocalEngine } from '../../src/lib/engine/local';
import { EngineError } from '../../src/lib/engine/errors';
import type { TokenEvent } from '../../src/lib/engine/types';

const S = 1000;
const MIN = 60 * S;

describe('watchdog timing (fake clock)', () => {
  test('nothing in flight: never fires, however long the worker is quiet', () => {
    const w = new Watchdog();
    expect(w.check(10 * 3600 * S)).toBeNull();
    const id = w.begin('other', 0);
    w.end(id, 1);
    expect(w.check(10 * 3600 * S)).toBeNull();
  });

  test('a worker that answers nothing while a call is in flight is declared silent after the silence limit', () => {
    const w = new Watchdog();
    w.begin('other', 1_000 * S);
    expect(w.check(1_000 * S + D.silenceMs)).toBeNull();
    const verdict = w.check(1_000 * S + D.silenceMs + 1);
    expect(verdict).toMatchObject({ reason: 'silent', call: 'other', limitMs: D.silenceMs });
  });

  test('pings answered, tokens and steps are signs of life: a slow but live generation is never silent', () => {
    const w = new Watchdog();
    w.begin('generate', 0);
    // A GPU prefill of 512 tokens taking 5 minutes: the event loop answers pings every 2 s meanwhile.
    w.activity({ type: 'step', tokens: 512, blocking: false }, 1 * S);
    for (let t = 1 * S; t <= 5 * MIN; t += D.pingIntervalMs) {
      w.heard(t);
      expect(w.check(t + D.pingIntervalMs / 2)).toBeNull();
    }
    w.activity({ type: 'step-done' }, 5 * MIN);
    w.token(5 * MIN + 10);
    expect(w.check(5 * MIN + 20)).toBeNull();
  });

  test('a forward pass whose GPU work never finishes is stalled after its budget, though pings are answered', () => {
    const w = new Watchdog();
    w.begin('generate', 0);
    w.activity({ type: 'step', tokens: 1, blocking: false }, 0);
    const budget = D.stepBaseMs + D.stepPerTokenMs;
    for (let t = 0; t <= budget; t += D.pingIntervalMs) {
      w.heard(t);
      expect(w.check(t)).toBeNull();
    }
    w.heard(budget + 1);
    expect(w.check(budget + 1)).toMatchObject({ reason: 'stalled', call: 'generate', limitMs: 121 * S });
    expect(w.check(budget + 1)!.activity).toBe('generating (one forward pass of 1 token)');
  });

  test('a 512-token prefill chunk on the CPU may block the worker for minutes without being taken for a hang', () => {
    const w = new Watchdog();
    w.begin('generate', 0);
    w.activity({ type: 'step', tokens: 512, blocking: true }, 0);
    // ~8 minutes of silence: a 7B prefill at ~1 token/s on wasm.
    expect(w.check(8 * MIN)).toBeNull();
    expect(w.stepBudgetMs(512)).toBe(632 * S);
    expect(w.check(632 * S + 1)).toMatchObject({ reason: 'stalled' });
  });

  test('the silence limit is back as soon as the blocking step ends', () => {
    const w = new Watchdog();
    w.begin('generate', 0);
    w.activity({ type: 'step', tokens: 8, blocking: true }, 0);
    w.activity({ type: 'step-done' }, 3 * MIN);
    expect(w.check(3 * MIN + D.silenceMs)).toBeNull();
    expect(w.check(3 * MIN + D.silenceMs + 1)).toMatchObject({ reason: 'silent', call: 'generate' });
  });

  test('between tokens a generation has betweenStepsMs', () => {
    const w = new Watchdog();
    w.begin('generate', 0);
    w.token(10 * S);
    for (let t = 10 * S; t <= 10 * S + D.betweenStepsMs; t += D.pingIntervalMs) w.heard(t);
    expect(w.check(10 * S + D.betweenStepsMs)).toBeNull();
    expect(w.check(10 * S + D.betweenStepsMs + 1)).toMatchObject({ reason: 'stalled', activity: 'generating (between forward passes)' });
  });

  test('load: a slow download never stalls; compile may block for up to 10 minutes; warm-up is one forward pass', () => {
    const w = new Watchdog();
    const id = w.begin('load', 0);
    w.loadProgress(id, 'download', 1 * S);
    // An hour of slow download with progress now and then, pings answered: fine.
    for (let t = 1 * S; t < 3600 * S; t += 30 * S) {
      w.heard(t);
      expect(w.check(t)).toBeNull();
    }
    w.loadProgress(id, 'compile', 3600 * S);
    // Creating the session may block the event loop: no silence limit, only the compile budget.
    expect(w.check(3600 * S + 9 * MIN)).toBeNull();
    expect(w.check(3600 * S + D.compileMs + 1)).toMatchObject({ reason: 'stalled', call: 'load', activity: 'loading the model (the compile phase)' });
    w.loadProgress(id, 'warmup', 3600 * S + 5 * MIN);
    w.activity({ type: 'step', tokens: 1, blocking: false }, 3600 * S + 5 * MIN);
    expect(w.check(3600 * S + 5 * MIN + 59 * S)).toBeNull();
  });

  test('before its first progress event a load has startMs (manifest, adapter, runtime import)', () => {
    const w = new Watchdog();
    w.begin('load', 0);
    for (let t = 0; t <= D.startMs; t += D.pingIntervalMs) w.heard(t);
    expect(w.check(D.startMs)).toBeNull();
    expect(w.check(D.startMs + 1)).toMatchObject({ reason: 'stalled', call: 'load' });
  });

  test('a download running beside a generation is not kept alive by its tokens, nor stalls it', () => {
    const w = new Watchdog();
    w.begin('generate', 0);
    const d = w.begin('download', 0);
    w.loadProgress(d, 'download', 0);
    w.activity({ type: 'step', tokens: 1, blocking: false }, 0);
    for (let t = 0; t <= 200 * S; t += D.pingIntervalMs) w.heard(t);
    expect(w.check(200 * S)).toMatchObject({ reason: 'stalled', call: 'generate' });
  });

  test('?watchdog=<s> sets the silence limit and pings often enough to meet it', () => {
    expect(watchdogLimits()).toEqual(D);
    expect(watchdogLimits(5)).toMatchObject({ silenceMs: 5_000, pingIntervalMs: 1_250, stepBaseMs: D.stepBaseMs });
    expect(watchdogLimits(120).pingIntervalMs).toBe(D.pingIntervalMs);
  });

  test('the message says what happened and what to do', () => {
    const w = new Watchdog();
    w.begin('generate', 0);
    w.token(0);
    const silent = describeVerdict(w.check(61 * S)!);
    expect(silent).toMatch(/^The model worker stopped responding: no sign of life for 61 s while generating/);
    expect(silent).toMatch(/Restart the model to continue; your conversation and the downloaded model files are kept\.$/);
  });
});

/** A fake model worker: a Comlink endpoint in this process that hangs on demand. */
function fakeWorker(hang: 'spin' | 'stall' | 'none') {
  const { port1, port2 } = new MessageChannel();
  const never = new Promise<never>(() => {});
  const state = { terminated: false, generations: 0 };
  Comlink.expose(
    {
      onDeviceLost: () => {},
      onActivity: () => {},
      // 'spin': the event loop is blocked, so nothing is answered at all.
      ping: () => (hang === 'spin' ? never : true),
      countTokens: (text: string) => (hang === 'spin' ? never : text.length),
      generate: async (_request: unknown, onToken: (e: TokenEvent) => void) => {
        state.generations++;
        onToken({ text: 'a', tokens: 1, tokensPerSecond: 0 });
        if (hang !== 'none') return never;
        return { text: 'ab', tokens: 2, stopReason: 'eos', timings: {} };
      },
    },
    port2,
  );
  const worker = Object.assign(port1, {
    terminate: () => {
      state.terminated = true;
      port1.close();
      port2.close();
    },
  }) as unknown as Worker;
  return { worker, state };
}

describe('LocalEngine with a hung worker (short limits, real clock)', () => {
  const engines: LocalEngine[] = [];
  afterEach(() => {
    for (const e of engines.splice(0)) e.restart();
  });
  const short = { silenceMs: 300, pingIntervalMs: 50, betweenStepsMs: 600, stepBaseMs: 600, stepPerTokenMs: 0 };

  function engineWith(...hangs: ('spin' | 'stall' | 'none')[]) {
    const workers: ReturnType<typeof fakeWorker>[] = [];
    const engine = new LocalEngine({
      createWorker: () => {
        const w = fakeWorker(hangs[workers.length] ?? 'none');
        workers.push(w);
        return w.worker;
      },
      watchdog: short,
    });
    engines.push(engine);
    const fatal: EngineError[] = [];
    engine.onFatal = (e) => fatal.push(e);
    return { engine, workers, fatal };
  }

  for (const hang of ['spin', 'stall'] as const) {
    test(`a generation that hangs (${hang}) is rejected as unresponsive, the worker replaced and the next call works`, async () => {
      const { engine, workers, fatal } = engineWith(hang);
      const tokens: string[] = [];
      const error = await engine.generate({ prompt: 'x' }, (e) => tokens.push(e.text)).catch((e: unknown) => e);
      expect(tokens).toEqual(['a']);
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('unresponsive');
      expect((error as EngineError).fatal).toBe(true);
      expect((error as EngineError).details.reason).toBe(hang === 'spin' ? 'silent' : 'stalled');
      expect((error as Error).message).toMatch(/Restart the model to continue/);
      expect(fatal.map((e) => e.code)).toEqual(['unresponsive']);
      expect(workers[0].state.terminated).toBe(true);
      expect(workers).toHaveLength(2);
      const result = await engine.generate({ prompt: 'x' });
      expect(result.text).toBe('ab');
      expect(workers[1].state.generations).toBe(1);
    });
  }

  test('other calls waiting on a hung worker are rejected with the same error', async () => {
    const { engine } = engineWith('spin');
    const generation = engine.generate({ prompt: 'x' }).catch((e: unknown) => e);
    const count = engine.countTokens('abc').catch((e: unknown) => e);
    const [g, c] = await Promise.all([generation, count]);
    expect((g as EngineError).code).toBe('unresponsive');
    expect(c).toBe(g);
  });

  test('a healthy worker is left alone, and the watchdog can be turned off', async () => {
    const { engine, fatal } = engineWith('none');
    for (let i = 0; i < 3; i++) expect((await engine.generate({ prompt: 'x' })).text).toBe('ab');
    expect(await engine.countTokens('abcd')).toBe(4);
    await new Promise((r) => setTimeout(r, 700));
    expect(fatal).toEqual([]);

    const off = new LocalEngine({ createWorker: () => fakeWorker('spin').worker, watchdog: false });
    engines.push(off);
    const outcome = await Promise.race([off.countTokens('x').then(() => 'answered'), new Promise((r) => setTimeout(() => r('still waiting'), 700))]);
    expect(outcome).toBe('still waiting');
  });

  test('a worker that exits during a blocking forward pass is noticed at the next ping, not at the pass’s budget', async () => {
    const { port1, port2 } = new MessageChannel();
    let activity: ((a: WorkerActivity) => void) | undefined;
    const never = new Promise<never>(() => {});
    Comlink.expose(
      {
        onDeviceLost: () => {},
        onActivity: (listener: (a: WorkerActivity) => void) => void (activity = listener),
        ping: () => never,
        generate: async (_request: unknown, onToken: (e: TokenEvent) => void) => {
          onToken({ text: 'a', tokens: 1, tokensPerSecond: 0 });
          // Then a 512-token prefill on the CPU: the event loop is blocked for it, and silence is excused. (Each
          // callback has its own channel: wait so that the token's message is not the later one.)
          await new Promise((r) => setTimeout(r, 50));
          activity?.({ type: 'step', tokens: 512, blocking: true });
          return never;
        },
      },
      port2,
    );
    const worker = Object.assign(port1, { terminate: () => (port1.close(), port2.close()) }) as unknown as Worker;
    let alive = true;
    const names: string[] = [];
    const engine = new LocalEngine({
      createWorker: (name) => (names.push(name), names.length === 1 ? worker : fakeWorker('none').worker),
      lockHeld: async (name) => name === names[0] && alive,
      watchdog: { ...short, stepBaseMs: 60_000, betweenStepsMs: 60_000 },
    });
    engines.push(engine);
    const generation = engine.generate({ prompt: 'x' }).catch((e: unknown) => e);
    setTimeout(() => (alive = false), 400);
    const error = (await generation) as EngineError;
    expect(error.code).toBe('unresponsive');
    expect(error.details.reason).toBe('exited');
    expect(error.message).toMatch(/^The model worker exited without a word while generating \(one forward pass of 512 tokens on the CPU\)/);
    expect(names[0]).toMatch(/^agent-flan-llm-/);
    expect((await engine.generate({ prompt: 'x' })).text).toBe('ab');
  });

  test('fault injection is refused unless asked for', async () => {
    const { engine } = engineWith('none');
    await expect(engine.injectFault('spin')).rejects.toThrow(/test_faults/);
  });
});
