import { createHash } from 'node:crypto';
import type { ModelDtype } from '../../../src/lib/engine/types';
import type { ManifestFile, ModelManifest } from '../../../src/lib/models/manifest';
import type { RangeServer } from './range-server';

/** Deterministic pseudo-random bytes (xorshift32), so tests need no fixture files. */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export const sha256Hex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** A manifest for the given file contents, sizes and hashes computed by node:crypto. */
export function manifestFor(
  id: string,
  content: Record<string, Uint8Array>,
  common: string[],
  dtypes: Partial<Record<ModelDtype, string[]>>,
): ModelManifest {
  const entry = (path: string): ManifestFile => ({ path, bytes: content[path].length, sha256: sha256Hex(content[path]) });
  const manifest: ModelManifest = {
    format: 1,
    id,
    label: id,
    architecture: 'llama',
    contextLength: 128,
    vocabSize: 32,
    numLayers: 1,
    hiddenSize: 8,
    numKeyValueHeads: 1,
    headDim: 8,
    chatTemplate: null,
    stopTokenIds: [2],
    common: common.map(entry),
    dtypes: {},
  };
  for (const [dtype, paths] of Object.entries(dtypes) as [ModelDtype, string[]][]) {
    const files = paths.map(entry);
    const bytes = [...manifest.common, ...files].reduce((sum, f) => sum + f.bytes, 0);
    manifest.dtypes[dtype] = { files, bytes, gpuBytes: 0, maxTensorBytes: 0 };
  }
  return manifest;
}

/** The files under `/models/<id>/` as the test server serves them. */
export function servedUnder(id: string, content: Record<string, Uint8Array>): Record<string, Uint8Array> {
  const served: Record<string, Uint8Array> = {};
  for (const [path, data] of Object.entries(content)) served[`/models/${id}/${path}`] = data;
  return served;
}

export const modelBaseUrl = (server: RangeServer, id: string) => `${server.baseUrl}/models/${id}`;
