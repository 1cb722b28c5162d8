/// <reference lib="webworker" />
/**
 * The sandbox worker: hosts the task environments away from the page. Model-written code runs
 * inside wasm engines here (QuickJS, SQLite, the simulated shell); the page only sees observations.
 * The `?url` imports make Vite ship the wasm binaries with the build and tell the loaders where they are.
 */
import * as Comlink from 'comlink';
import sqliteWasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
import quickjsWasmUrl from '@jitl/quickjs-wasmfile-release-sync/wasm?url';
import { setWasmAssetUrls } from '../src/lib/runtimes/wasm-assets';
import { createSandboxHost } from '../src/lib/sandbox/host';

setWasmAssetUrls({ sqlite: sqliteWasmUrl, quickjs: quickjsWasmUrl });
Comlink.expose(createSandboxHost());
