/** `npm run serve [-- --dir dist --port 8080 --base /]`: serves the built app (or an offline bundle) locally; PORT sets the default port. */
import { parseArgs } from 'node:util';
import { startStaticServer } from './lib/static-server';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: 'dist' },
    port: { type: 'string', default: process.env.PORT ?? '8080' },
    base: { type: 'string', default: '/' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const running = await startStaticServer({ root: values.dir!, port: Number(values.port), base: values.base, host: values.host });
console.log(`Serving ${values.dir} at ${running.url} (Ctrl+C to stop). Open it in a browser with WebGPU (recent Chrome or Edge).`);
