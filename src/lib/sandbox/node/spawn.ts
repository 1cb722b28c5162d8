/** A sandbox worker factory for Node: a worker thread that loads the TypeScript entry through tsx. */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { WorkerHandle } from '../client';

// `execArgv: ['--import', 'tsx']` does not apply tsx to a worker's own entry on Node 20, so a small
// bootstrap registers tsx in the worker first and then imports the entry.
const tsxApi = new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json'))).href;
const entry = new URL('./worker-entry.ts', import.meta.url).href;
const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;

export function spawnNodeSandboxWorker(): WorkerHandle {
  const worker = new Worker(bootstrap, { eval: true });
  worker.on('error', (e) => {
    // A worker that fails to start shows up as a timeout in the client; say why here.
    console.error('sandbox worker error:', e);
  });
  return {
    endpoint: nodeEndpoint(worker),
    terminate: async () => {
      await worker.terminate();
    },
  };
}
