/** Which built files the service worker precaches, and the version that names their cache. */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export const SERVICE_WORKER_FILE = 'sw.js';

/** The models' directory inside the build when the model origin is a relative path (e.g. `models/`), else null. */
export function localModelDir(modelOrigin: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(modelOrigin) || modelOrigin.startsWith('/')) return null;
  const dir = modelOrigin.replace(/^(\.\/)+/, '').replace(/\/?$/, '/');
  return dir === '/' || dir.startsWith('../') ? null : dir;
}

/**
 * Everything the build wrote except the service worker itself, source maps and model files (the app's `models/`
 * and the configured model directory): those are stored in OPFS by the app's downloader, not in Cache Storage.
 */
export function precacheList(files: string[], modelOrigin: string): string[] {
  const modelDirs = ['models/', localModelDir(modelOrigin)].filter((d): d is string => d !== null);
  return files
    .filter((f) => f !== SERVICE_WORKER_FILE && !f.endsWith('.map') && !modelDirs.some((d) => f.startsWith(d)))
    .sort();
}

/** Files under `dir`, as `/`-separated paths relative to it. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
}

/** A short hash of the files' names and contents: a new build with any changed file gets a new cache. */
export async function precacheVersion(dir: string, files: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file).update('\0');
    hash.update(createHash('sha256').update(await readFile(join(dir, file))).digest()).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}
