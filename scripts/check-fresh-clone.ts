/**
 * `npm run check:clone`: clones the committed repository into an empty temporary folder (no shared/ anywhere
 * above it), runs the README's first command there (`npm install && npm start`), and checks that the served app
 * lists the test model. Proves the repository stands alone; .ci/run runs it before the test suite.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { REPO_ROOT, FIXTURE_MODELS } from './convert/fixture-models.ts';

const PORT = 18_000 + (process.pid % 1000);
const started = Date.now();
const root = mkdtempSync(join(tmpdir(), 'agent-flan-clone-'));
const clone = join(root, 'agent-flan-web');

function fail(message: string): never {
  console.error(`check:clone: ${message}`);
  process.exit(1);
}

for (let dir = root; ; dir = dirname(dir)) {
  if (existsSync(join(dir, 'shared'))) fail(`${join(dir, 'shared')} exists above the clone; pick a TMPDIR without one`);
  if (dir === parse(dir).root) break;
}

execFileSync('git', ['clone', '--quiet', REPO_ROOT, clone], { stdio: 'inherit' });
const server = spawn('sh', ['-c', 'npm install --prefer-offline --no-audit --no-fund && npm start'], {
  cwd: clone,
  env: { ...process.env, PORT: String(PORT) },
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true,
});
let out = '';
server.stdout.on('data', (chunk: Buffer) => {
  out += chunk;
  process.stdout.write(chunk);
});
const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
let stopping = false;
const stop = () => {
  stopping = true;
  try {
    process.kill(-server.pid!, 'SIGTERM');
  } catch {}
};

try {
  const serving = await Promise.race([
    new Promise<true>((resolve) => {
      const timer = setInterval(() => {
        if (out.includes(`127.0.0.1:${PORT}`)) {
          clearInterval(timer);
          resolve(true);
        }
      }, 200);
    }),
    exited.then((code) => (stopping ? false : fail(`npm install && npm start exited (${code}) before serving`))),
  ]);
  if (!serving) fail('never served');
  const base = `http://127.0.0.1:${PORT}/`;
  const page = await fetch(base);
  if (!page.ok || !(await page.text()).includes('<div id="app">')) fail(`GET / answered ${page.status} without the app`);
  const index = (await (await fetch(`${base}models/index.json`)).json()) as { models: { id: string }[] };
  const ids = index.models.map((m) => m.id);
  for (const model of FIXTURE_MODELS) if (!ids.includes(model.id)) fail(`models/index.json lists ${ids.join(', ') || 'nothing'}, not ${model.id}`);
  console.log(`check:clone: a fresh clone installs, builds and serves ${ids.join(', ')} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
} finally {
  stop();
  await exited;
  rmSync(root, { recursive: true, force: true });
}
