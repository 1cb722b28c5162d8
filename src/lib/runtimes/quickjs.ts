/**
 * Runs model-written JavaScript in QuickJS compiled to wasm: a separate interpreter with its own heap,
 * no access to the host realm (no fetch, DOM, storage, workers, postMessage), bounded in memory, time
 * and output. Only `console.log` (and friends) reach the host, as captured text.
 */
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  shouldInterruptAfterDeadline,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core';
import releaseSyncVariant from '@jitl/quickjs-wasmfile-release-sync';
import { wasmAssetUrls } from './wasm-assets';
import { CappedText } from './output';
import { FIXED_EPISODE } from './determinism';

export interface JsLimits {
  /** Heap limit of the QuickJS runtime. */
  memoryBytes: number;
  /** Wall-clock budget; the interpreter is interrupted past it. */
  timeMs: number;
  /** Captured output beyond this many characters is dropped and a marker appended. */
  outputChars: number;
}

/** What the code's `Math.random()` and clock give: the same seed and time, the same results (a replay's). */
export interface JsDeterminism {
  seed: number;
  /** `Date.now()` and `new Date()` read this, plus one millisecond per read (so a busy wait still ends). */
  nowMs: number;
}

export const DEFAULT_JS_LIMITS: JsLimits = {
  memoryBytes: 32 * 1024 * 1024,
  timeMs: 1500,
  outputChars: 16_000,
};

export interface JsResult {
  ok: boolean;
  /** console output, then the completion value (if not undefined), or the error. */
  output: string;
}

let modulePromise: Promise<QuickJSWASMModule> | undefined;

/** Loads (once) and returns the QuickJS wasm module; call early to keep wasm start-up out of a step's time box. */
export function loadQuickJs(): Promise<QuickJSWASMModule> {
  if (!modulePromise) {
    const wasmLocation = wasmAssetUrls().quickjs;
    const variant = wasmLocation ? newVariant(releaseSyncVariant, { wasmLocation }) : releaseSyncVariant;
    modulePromise = newQuickJSWASMModuleFromVariant(variant);
  }
  return modulePromise;
}

export async function runJavaScript(code: string, limits: Partial<JsLimits> = {}, determinism: JsDeterminism = { seed: FIXED_EPISODE.seed, nowMs: FIXED_EPISODE.startMs }): Promise<JsResult> {
  const { memoryBytes, timeMs, outputChars } = { ...DEFAULT_JS_LIMITS, ...limits };
  const module = await loadQuickJs();
  const runtime = module.newRuntime();
  runtime.setMemoryLimit(memoryBytes);
  runtime.setMaxStackSize(512 * 1024);
  const out = new CappedText(outputChars);
  const pastDeadline = shouldInterruptAfterDeadline(Date.now() + timeMs);
  // Stop as soon as the output cap is hit too: nothing more the code prints can be shown.
  runtime.setInterruptHandler((rt) => out.truncated || pastDeadline(rt));
  const vm = runtime.newContext();
  try {
    const emit = vm.newFunction('__emit', (text) => {
      out.push(vm.getString(text));
    });
    vm.setProp(vm.global, '__emit', emit);
    emit.dispose();
    // Each call is cut inside the VM (to one character past the cap, so the host still sees the
    // overflow): a 10 MB string never crosses into the host whole.
    const bootstrap = vm.evalCode(consoleBootstrap(outputChars + 1), 'console.js');
    if (bootstrap.error) throw new Error(`console bootstrap failed: ${JSON.stringify(vm.dump(bootstrap.error))}`);
    bootstrap.value.dispose();
    const seeded = vm.evalCode(determinismBootstrap(determinism), 'determinism.js');
    if (seeded.error) throw new Error(`determinism bootstrap failed: ${JSON.stringify(vm.dump(seeded.error))}`);
    seeded.value.dispose();

    const result = vm.evalCode(code, 'input.js');
    if (result.error) {
      const err = vm.dump(result.error);
      result.error.dispose();
      out.push(formatError(err, out.truncated));
      return { ok: false, output: out.text().trimEnd() };
    }
    const value = vm.dump(result.value);
    result.value.dispose();
    if (value !== undefined) out.push(formatValue(value));
    return { ok: true, output: out.text().trimEnd() };
  } catch (e) {
    // The host side failing (e.g. the wasm stack exhausted) ends up here; the instance is suspect.
    modulePromise = undefined;
    out.push(`Error: ${e instanceof Error ? e.message : String(e)}`);
    return { ok: false, output: out.text().trimEnd() };
  } finally {
    try {
      vm.dispose();
      runtime.dispose();
    } catch {
      // A runtime left inconsistent (e.g. after a stack overflow) aborts on dispose: start a fresh
      // wasm instance for the next run instead of reusing this one.
      modulePromise = undefined;
    }
  }
}

function consoleBootstrap(cap: number): string {
  return `(() => {
    const emit = globalThis.__emit;
    delete globalThis.__emit;
    const show = (x) => {
      if (typeof x === 'string') return x;
      try { const j = JSON.stringify(x); return j === undefined ? String(x) : j; } catch { return String(x); }
    };
    const log = (...args) => { emit((args.map(show).join(' ') + '\\n').slice(0, ${cap})); };
    globalThis.console = { log, info: log, warn: log, error: log, debug: log };
  })();`;
}

/**
 * QuickJS would seed Math.random from the machine's clock and read the real time: inside the VM both come from
 * `determinism` instead (mulberry32, as util/random.ts), and `Date` without arguments reads the seeded clock.
 */
function determinismBootstrap({ seed, nowMs }: JsDeterminism): string {
  return `(() => {
    let state = ${seed >>> 0};
    Math.random = function random() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    let clock = ${Math.floor(nowMs)};
    const now = () => clock++;
    const RealDate = Date;
    function SeededDate(...args) {
      if (!new.target) return new RealDate(now()).toString();
      return args.length ? new RealDate(...args) : new RealDate(now());
    }
    SeededDate.prototype = RealDate.prototype;
    Object.defineProperty(RealDate.prototype, 'constructor', { value: SeededDate, writable: true, configurable: true });
    SeededDate.now = now;
    SeededDate.parse = RealDate.parse;
    SeededDate.UTC = RealDate.UTC;
    globalThis.Date = SeededDate;
  })();`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function formatError(err: unknown, outputCapped: boolean): string {
  if (err && typeof err === 'object') {
    const { name, message } = err as { name?: unknown; message?: unknown };
    if (typeof message === 'string') {
      const label = typeof name === 'string' ? name : 'Error';
      if (message === 'interrupted') {
        const why = outputCapped ? 'its output passed the size limit' : 'the code ran past its time limit';
        return `${label}: interrupted (${why})`;
      }
      return `${label}: ${message}`;
    }
  }
  return `Error: ${formatValue(err)}`;
}
