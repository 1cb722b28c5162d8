/** The sandbox host in a Node worker thread (tests, CLIs). The wasm packages find their binaries on disk. */
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createSandboxHost } from '../host';
import { useVmAssetsFromDisk } from '../../runtimes/v86/assets-node';

if (!parentPort) throw new Error('worker-entry.ts must run as a worker thread (see spawnNodeSandboxWorker).');
useVmAssetsFromDisk();
Comlink.expose(createSandboxHost(), nodeEndpoint(parentPort));
