/// <reference lib="webworker" />
/**
 * The sandbox worker: hosts the task environments away from the page. Model-written code runs
 * inside wasm engines here (QuickJS, SQLite, the v86 PC running the OS tasks' Linux guest); the page only sees
 * observations. The `?url` imports make Vite ship the wasm binaries with the build and tell the loaders where they
 * are; the guest itself (`npm run build:guest`) is served from `vm/` beside the page.
 * First the worker takes its lifetime lock (the page waits for its release before starting a replacement),
 * then gives up every API that reaches beyond it (src/lib/sandbox/worker-scope.ts).
 */
import * as Comlink from 'comlink';
import sqliteWasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
import quickjsWasmUrl from '@jitl/quickjs-wasmfile-release-sync/wasm?url';
import v86WasmUrl from 'v86/build/v86.wasm?url';
import { setWasmAssetUrls } from '../src/lib/runtimes/wasm-assets';
import { setVmAssetUrls } from '../src/lib/runtimes/v86/assets';
import { createSandboxHost } from '../src/lib/sandbox/host';
import { lockDownWorkerScope } from '../src/lib/sandbox/worker-scope';
import { holdLifetimeLock } from '../src/lib/util/lifetime-lock';

declare const self: DedicatedWorkerGlobalScope;
holdLifetimeLock(self.name);
const left = lockDownWorkerScope(self);
if (left.length) console.warn(`sandbox worker: could not remove ${left.join(', ')}`);
setWasmAssetUrls({ sqlite: sqliteWasmUrl, quickjs: quickjsWasmUrl });
// The worker's script sits in assets/ (built) or workers/ (dev server): vm/ is one level up in both.
const workerUrl = import.meta.url;
setVmAssetUrls({ wasm: new URL(v86WasmUrl, workerUrl).href, base: new URL('../vm/', workerUrl).href });
Comlink.expose(createSandboxHost());
