/**
 * The model half of an offline bundle: checks a converted model directory against its manifest, then copies it to
 * `<out>/models/<id>/...` with a `<out>/models/index.json` listing it.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, relative } from 'node:path';
import type { ModelDtype } from '../../src/lib/engine/types.ts';
import type { ManifestFile, ModelIndex, ModelManifest } from '../../src/lib/models/manifest.ts';

export class BundleError extends Error {}

/** Parses `manifest.json` text and checks the fields the bundle relies on. */
export function parseManifest(text: string, where: string): ModelManifest {
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(text) as ModelManifest;
  } catch (e) {
    throw new BundleError(`${where} is not JSON (${(e as Error).message}): point --model at a directory written by \`npm run convert\`.`);
  }
  if (manifest?.format !== 1) throw new BundleError(`${where}: unknown manifest format ${JSON.stringify(manifest?.format)} (expected 1); convert the model again with this version.`);
  if (typeof manifest.id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(manifest.id)) {
    throw new BundleError(`${where}: model id ${JSON.stringify(manifest.id)} is not a plain directory name (letters, digits, . _ -).`);
  }
  if (!Array.isArray(manifest.common) || !manifest.dtypes || Object.keys(manifest.dtypes).length === 0) {
    throw new BundleError(`${where}: the manifest lists no files or no dtypes; convert the model again.`);
  }
  return manifest;
}

/** Keeps only the requested dtypes (all when `dtypes` is empty); names the missing ones otherwise. */
export function selectDtypes(manifest: ModelManifest, dtypes: string[]): ModelManifest {
  if (dtypes.length === 0) return manifest;
  const available = Object.keys(manifest.dtypes);
  const missing = dtypes.filter((d) => !available.includes(d));
  if (missing.length) throw new BundleError(`--dtype ${missing.join(',')}: not in this model (it has ${available.join(', ')}).`);
  const kept = Object.fromEntries(dtypes.map((d) => [d, manifest.dtypes[d as ModelDtype]]));
  return { ...manifest, dtypes: kept };
}

/** Every file the manifest needs (common ones first), each listed once. */
export function manifestFiles(manifest: ModelManifest): ManifestFile[] {
  const files = new Map<string, ManifestFile>();
  for (const f of [...manifest.common, ...Object.values(manifest.dtypes).flatMap((d) => d!.files)]) {
    const path = normalize(f.path);
    if (isAbsolute(path) || path.startsWith('..')) throw new BundleError(`manifest file path ${JSON.stringify(f.path)} leaves the model directory.`);
    files.set(f.path, f);
  }
  return [...files.values()];
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Size (and, with `verify`, SHA-256) of every file against the manifest; all problems are reported at once. */
export async function checkModelFiles(modelDir: string, files: ManifestFile[], verify: boolean): Promise<void> {
  const problems: string[] = [];
  for (const f of files) {
    const path = join(modelDir, f.path);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) problems.push(`${f.path}: missing`);
    else if (info.size !== f.bytes) problems.push(`${f.path}: ${info.size} bytes, the manifest says ${f.bytes}`);
    else if (verify && (await sha256File(path)) !== f.sha256) problems.push(`${f.path}: SHA-256 differs from the manifest`);
  }
  if (problems.length) {
    throw new BundleError(`${modelDir} does not match its manifest.json:\n  ${problems.join('\n  ')}\nConvert the model again (or copy it again) before bundling.`);
  }
}

export interface CheckedModel {
  modelDir: string;
  /** The manifest as the bundle will carry it (only the selected dtypes). */
  manifest: ModelManifest;
  files: ManifestFile[];
  bytes: number;
}

/** Reads and checks a converted model directory before anything is built or copied. */
export async function checkModel(options: { modelDir: string; dtypes: string[]; verify: boolean }): Promise<CheckedModel> {
  const manifestPath = join(options.modelDir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new BundleError(`${options.modelDir} has no manifest.json: --model must be a directory written by \`npm run convert\`.`);
  const manifest = selectDtypes(parseManifest(await readFile(manifestPath, 'utf8'), manifestPath), options.dtypes);
  const files = manifestFiles(manifest);
  await checkModelFiles(options.modelDir, files, options.verify);
  return { modelDir: options.modelDir, manifest, files, bytes: files.reduce((a, f) => a + f.bytes, 0) };
}

/** Copies the model's files and its manifest into `<outDir>/models/<id>/`, and writes `models/index.json`. */
export async function copyModel(model: CheckedModel, outDir: string): Promise<void> {
  const modelsDir = join(outDir, 'models');
  const target = join(modelsDir, model.manifest.id);
  for (const f of model.files) {
    await mkdir(dirname(join(target, f.path)), { recursive: true });
    await copyFile(join(model.modelDir, f.path), join(target, f.path));
  }
  await writeFile(join(target, 'manifest.json'), JSON.stringify(model.manifest, null, 2) + '\n');
  const index: ModelIndex = { models: [{ id: model.manifest.id, label: model.manifest.label }] };
  await writeFile(join(modelsDir, 'index.json'), JSON.stringify(index, null, 2) + '\n');
}

export const README_FIRST_LINE = 'Agent-FLAN Web: offline bundle';

export function bundleReadme(manifest: ModelManifest, bytes: number): string {
  const gb = (bytes / 1e9).toFixed(bytes < 1e8 ? 3 : 1);
  return `${README_FIRST_LINE}

Model: ${manifest.label} (${manifest.id}), dtypes: ${Object.keys(manifest.dtypes).join(', ')}, ${gb} GB of model files.
Everything the demo needs is in this folder; no network is used.

Start it (Node.js 20 or newer):
  node serve.mjs            then open http://127.0.0.1:8080/ in Chrome or Edge (WebGPU)
  node serve.mjs --port 9000 --host 0.0.0.0   to choose the port, or serve to other machines
From a checkout of the project instead:  npm run serve -- --dir <this folder>

Any other static server works if it answers HTTP Range requests and sends the headers listed in
security-headers.json: with every file
  Cross-Origin-Opener-Policy: same-origin
  Cross-Origin-Embedder-Policy: require-corp
  Content-Security-Policy: (the page's policy, under "all")
and each worker script's own Content-Security-Policy (under "files"): a worker runs under the policy of its
script's response, not the page's. _headers is the same list in the format of Netlify and Cloudflare Pages.
`;
}

/**
 * The bundle empties its output folder first: refuse the project itself, a folder holding it, or a folder with
 * someone's files in it (anything but an earlier bundle).
 */
export function checkOutDir(out: string, projectRoot: string): void {
  const fromOut = relative(out, projectRoot);
  if (fromOut === '' || !fromOut.startsWith('..')) throw new BundleError(`--out ${out} would replace the project itself; pick a new folder.`);
  if (!existsSync(out) || readdirSync(out).length === 0) return;
  const readme = join(out, 'README.txt');
  if (!existsSync(readme) || !readFileSync(readme, 'utf8').startsWith(README_FIRST_LINE)) {
    throw new BundleError(`--out ${out} exists and is not an offline bundle made by this command; pick a new folder or empty it first.`);
  }
}
