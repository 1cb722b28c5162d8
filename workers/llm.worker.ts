/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import { installErrorTransfer } from '../src/lib/engine/comlink-errors';
import { WorkerRuntime } from '../src/lib/engine/worker-runtime';
import { holdLifetimeLock } from '../src/lib/util/lifetime-lock';

declare const self: DedicatedWorkerGlobalScope;
// Until this context ends: the page tells an exited worker from a busy one by it (engine/watchdog.ts).
holdLifetimeLock(self.name);
installErrorTransfer();
const absolute = (url: string) => new URL(url, self.location.href).href;
const runtime = new WorkerRuntime({ wasm: absolute(ortWasmUrl), mjs: absolute(ortMjsUrl) });

/**
 * Test-only fault injection (tests/browser/engine-resilience.test.ts, booth.test.ts): armed only through
 * `LocalEngine.injectFault`, which refuses unless the page was opened with `?test_faults`. It hits one
 * generation: 'spin' enters a synchronous endless loop right after the next token generated (the worker's event
 * loop is blocked, as in a GPU driver hang); 'stall' lets it finish but never answers and sends nothing more
 * (as with a wedged GPU queue whose readback never resolves).
 */
export type InjectedFault = 'spin' | 'stall';
let fault: InjectedFault | null = null;
function generate(...[request, onToken, stopId]: Parameters<WorkerRuntime['generate']>): ReturnType<WorkerRuntime['generate']> {
  if (fault === 'stall') {
    fault = null;
    return runtime.generate(request, onToken, stopId).then(() => new Promise<never>(() => {}));
  }
  if (fault !== 'spin') return runtime.generate(request, onToken, stopId);
  return runtime.generate(request, (e) => {
    onToken(e);
    if (fault !== 'spin') return;
    fault = null;
    for (;;) {
      // Hung on purpose.
    }
  }, stopId);
}

export const api = {
  adapter: () => runtime.adapter(),
  load: (...args: Parameters<WorkerRuntime['load']>) => runtime.load(...args),
  download: (...args: Parameters<WorkerRuntime['download']>) => runtime.download(...args),
  storedModels: () => runtime.storedModels(),
  deleteStoredModel: (id: string) => runtime.deleteStoredModel(id),
  generate,
  countTokens: (text: string) => runtime.countTokens(text),
  tokenize: (text: string) => runtime.tokenize(text),
  interrupt: () => runtime.interrupt(),
  shareStopFlag: (buffer: SharedArrayBuffer) => runtime.shareStopFlag(buffer),
  reset: () => runtime.reset(),
  unload: () => runtime.unload(),
  stats: () => runtime.stats(),
  onDeviceLost: (listener: (message: string) => void) => {
    runtime.onDeviceLost = listener;
  },
  onActivity: (listener: NonNullable<WorkerRuntime['onActivity']>) => {
    runtime.onActivity = listener;
  },
  /** Answered by the event loop: the page's watchdog takes the answer as a sign of life. */
  ping: () => true,
  injectFault: (kind: InjectedFault) => {
    fault = kind;
  },
};
export type LlmWorkerApi = typeof api;

Comlink.expose(api);
