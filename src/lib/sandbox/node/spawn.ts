/** A sandbox worker factory for Node: a worker thread running the TypeScript entry through tsx. */
import { Worker } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { WorkerHandle } from '../client';

export function spawnNodeSandboxWorker(): WorkerHandle {
  const worker = new Worker(new URL('./worker-entry.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
  // A terminated or crashed worker must not keep the process alive or throw into the caller.
  worker.on('error', () => {});
  return {
    endpoint: nodeEndpoint(worker),
    terminate: () => void worker.terminate(),
  };
}
