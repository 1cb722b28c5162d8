/**
 * `serve.mjs` in an offline bundle (built by scripts/bundle.ts): serves the folder it sits in with the headers
 * the app needs. Node 20+, nothing else.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startStaticServer } from './lib/static-server.ts';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' } },
});
const root = dirname(fileURLToPath(import.meta.url));
const running = await startStaticServer({ root, port: Number(values.port), host: values.host });
console.log(`Agent-FLAN Web (offline) at ${running.url} (Ctrl+C to stop). Open it in Chrome or Edge.`);
