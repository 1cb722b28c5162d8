/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import { installErrorTransfer } from '../src/lib/engine/comlink-errors';
import { WorkerRuntime } from '../src/lib/engine/worker-runtime';

installErrorTransfer();
const absolute = (url: string) => new URL(url, self.location.href).href;
const runtime = new WorkerRuntime({ wasm: absolute(ortWasmUrl), mjs: absolute(ortMjsUrl) });

export const api = {
  adapter: () => runtime.adapter(),
  load: (...args: Parameters<WorkerRuntime['load']>) => runtime.load(...args),
  download: (...args: Parameters<WorkerRuntime['download']>) => runtime.download(...args),
  storedModels: () => runtime.storedModels(),
  deleteStoredModel: (id: string) => runtime.deleteStoredModel(id),
  generate: (...args: Parameters<WorkerRuntime['generate']>) => runtime.generate(...args),
  countTokens: (text: string) => runtime.countTokens(text),
  tokenize: (text: string) => runtime.tokenize(text),
  interrupt: () => runtime.interrupt(),
  reset: () => runtime.reset(),
  unload: () => runtime.unload(),
  stats: () => runtime.stats(),
  onDeviceLost: (listener: (message: string) => void) => {
    runtime.onDeviceLost = listener;
  },
};
export type LlmWorkerApi = typeof api;

Comlink.expose(api);
