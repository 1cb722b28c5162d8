/// <reference lib="webworker" />
/**
 * The sandbox worker: hosts the task environments away from the page. Model-written code runs
 * inside wasm engines here (QuickJS, SQLite, the simulated shell); the page only sees observations.
 * The `?url` imports make Vite ship the wasm binaries with the build and tell the loaders where they are.
 * First the worker takes its lifetime lock (the page waits for its release before starting a replacement),
 * then gives up every API that reaches beyond it (src/lib/sandbox/worker-scope.ts).
 */
import * as Comlink from 'comlink';
import sqliteWasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
import quickjsWasmUrl from '@jitl/quickjs-wasmfile-release-sync/wasm?url';
import { setWasmAssetUrls } from '../src/lib/runtimes/wasm-assets';
import { createSandboxHost } from '../src/lib/sandbox/host';
import { lockDownWorkerScope } from '../src/lib/sandbox/worker-scope';
import { holdLifetimeLock } from '../src/lib/util/lifetime-lock';

declare const self: DedicatedWorkerGlobalScope;
holdLifetimeLock(self.name);
const left = lockDownWorkerScope(self);
if (left.length) console.warn(`sandbox worker: could not remove ${left.join(', ')}`);
setWasmAssetUrls({ sqlite: sqliteWasmUrl, quickjs: quickjsWasmUrl });
Comlink.expose(createSandboxHost());
