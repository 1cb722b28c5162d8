/**
 * `npm run bundle -- --model <converted-model-dir> [--out agent-flan-offline] [--dtype q4f16,q4] [--skip-verify]`:
 * a self-contained offline folder: the built app (model origin = its own `models/`), the model, `models/index.json`,
 * the OS tasks' Linux guest (`vm/`, from public/vm/ when `npm run build:guest` made it; the service worker precaches
 * it with the rest of the build), a `serve.mjs` launcher and a README. Serve it with `node serve.mjs` or `npm run serve -- --dir <folder>`.
 */
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { BundleError, bundleReadme, checkModel, checkOutDir, copyModel } from './lib/offline-bundle.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..');

function launcherPath(out: string): string {
  const rel = relative(process.cwd(), out);
  return join(rel === '' || rel.startsWith('..') ? out : rel, 'serve.mjs');
}

async function buildLauncher(out: string): Promise<void> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    build: { ssr: join(REPO_ROOT, 'scripts/offline-launcher.ts'), write: false, target: 'node20', minify: false },
  });
  const chunk = (Array.isArray(result) ? result : [result]).flatMap((o) => ('output' in o ? o.output : [])).find((c) => c.type === 'chunk');
  if (!chunk || chunk.type !== 'chunk') throw new Error('the launcher build produced no script');
  await writeFile(join(out, 'serve.mjs'), chunk.code);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      out: { type: 'string', default: 'agent-flan-offline' },
      dtype: { type: 'string', default: '' },
      'skip-verify': { type: 'boolean', default: false },
    },
  });
  if (!values.model) throw new BundleError('--model <converted-model-dir> is required (a directory with manifest.json, as `npm run convert` writes it).');
  const out = resolve(values.out!);
  checkOutDir(out, REPO_ROOT);
  const started = Date.now();
  const dtypes = values.dtype!.split(',').map((d) => d.trim()).filter(Boolean);
  const model = await checkModel({ modelDir: resolve(values.model), dtypes, verify: !values['skip-verify'] });
  console.log(`model ${model.manifest.id}: ${model.files.length} files, ${(model.bytes / 1e6).toFixed(1)} MB, ${values['skip-verify'] ? 'sizes checked' : 'SHA-256 verified'}`);

  // The bundle serves its models itself, whatever the build-time model origin of a normal build; and it is a
  // production build (service worker on) even when called from a test runner that set NODE_ENV=test.
  process.env.VITE_MODEL_ORIGIN = 'models/';
  process.env.NODE_ENV = 'production';
  await build({ root: REPO_ROOT, mode: 'production', logLevel: 'warn', build: { outDir: out, emptyOutDir: true } });
  // public/ may hold the test models: the bundle carries only the one asked for.
  await rm(join(out, 'models'), { recursive: true, force: true });
  await copyModel(model, out);
  await buildLauncher(out);
  await writeFile(join(out, 'README.txt'), bundleReadme(model.manifest, model.bytes));
  console.log(existsSync(join(out, 'vm/manifest.json')) ? 'the Linux guest for the OS tasks is in vm/' : 'no Linux guest in the bundle (run `npm run build:guest` first): its OS tasks will say so');
  console.log(`offline bundle written to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s; start it with: node ${launcherPath(out)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof BundleError ? `bundle: ${error.message}` : error);
  process.exit(1);
});
