import { ModelManifestError } from './errors';
import type { ManifestFile, ModelDtype, ModelManifest } from './manifest';

// Which files of a model manifest are needed, and where they are fetched from.

/** The files a dtype needs: the common files, then the dtype's own. */
export function neededFiles(manifest: ModelManifest, dtype: ModelDtype): ManifestFile[] {
  const entry = manifest.dtypes[dtype];
  if (!entry) {
    const have = Object.keys(manifest.dtypes).join(', ') || 'none';
    throw new ModelManifestError(`Model ${manifest.id} has no ${dtype} files (its manifest lists: ${have}). Pick one of those.`);
  }
  const files = [...manifest.common, ...entry.files];
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) throw new ModelManifestError(`Manifest of ${manifest.id} lists ${file.path} twice.`);
    seen.add(file.path);
    if (!Number.isSafeInteger(file.bytes) || file.bytes < 0 || !/^[0-9a-f]{64}$/i.test(file.sha256)) {
      throw new ModelManifestError(
        `Manifest of ${manifest.id} has a bad entry for ${file.path}: it needs a byte count and a 64-hex-digit sha256. Rebuild the manifest.`,
      );
    }
  }
  return files;
}

export function fileUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** Every file the manifest lists, for any dtype. */
export function listedFiles(manifest: ModelManifest): ManifestFile[] {
  return [...manifest.common, ...Object.values(manifest.dtypes).flatMap((entry) => entry?.files ?? [])];
}
