/**
 * End to end with the converter's tiny model (public/models/tiny-random-agent-flan, made by
 * `npm run fixtures`): its real manifest drives the downloader, and transformers.js then loads and runs
 * the model from the store with no request, generating exactly what it generates from the directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureModelFiles } from '../../src/lib/models/downloader';
import { neededFiles } from '../../src/lib/models/manifest-files';
import type { ModelManifest } from '../../src/lib/models/manifest';
import { MemoryFileStore } from '../../src/lib/models/memory-store';
import { createModelFileCache, useModelFileCache } from '../../src/lib/models/transformers-cache';
import { startRangeServer, type RangeServer } from './support/range-server';

const MODELS_DIR = fileURLToPath(new URL('../../public/models/', import.meta.url));
const MODEL_DIR = `${MODELS_DIR}tiny-random-agent-flan`;
const haveFixture = existsSync(`${MODEL_DIR}/manifest.json`);

async function greedyIds(id: string): Promise<number[]> {
  const tokenizer = await AutoTokenizer.from_pretrained(id);
  const model = await AutoModelForCausalLM.from_pretrained(id, { dtype: 'q4', device: 'cpu' });
  try {
    const inputs = tokenizer('Hello, agent', { add_special_tokens: true });
    const output = (await model.generate({ ...inputs, max_new_tokens: 8, do_sample: false })) as unknown as {
      tolist(): bigint[][];
    };
    return output.tolist()[0].map(Number);
  } finally {
    await model.dispose();
  }
}

let server: RangeServer | undefined;
afterAll(async () => server?.close());

describe.skipIf(!haveFixture)('the tiny converted model through the store (needs `npm run fixtures`)', () => {
  it('downloads with its manifest and runs from the store exactly as from its directory', async () => {
    const manifest = JSON.parse(readFileSync(`${MODEL_DIR}/manifest.json`, 'utf8')) as ModelManifest;
    const served: Record<string, Uint8Array> = {};
    for (const file of neededFiles(manifest, 'q4')) {
      served[`/models/${manifest.id}/${file.path}`] = readFileSync(`${MODEL_DIR}/${file.path}`);
    }
    server = await startRangeServer(served);

    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = MODELS_DIR;
    env.useFSCache = false;
    const fromDirectory = await greedyIds(manifest.id);

    const modelsBaseUrl = `${server.baseUrl}/models/`;
    const store = new MemoryFileStore();
    const result = await ensureModelFiles({ baseUrl: modelsBaseUrl + manifest.id, manifest, dtype: 'q4', store, storage: null });
    expect(result.networkBytes).toBe(manifest.dtypes.q4!.bytes);
    useModelFileCache(env, {
      modelsBaseUrl,
      cache: createModelFileCache(store, [{ baseUrl: modelsBaseUrl + manifest.id, manifest }]),
    });
    server.requests.length = 0;
    const fromStore = await greedyIds(manifest.id);

    expect(server.requests).toEqual([]);
    expect(fromStore).toHaveLength(fromDirectory.length);
    expect(fromStore).toEqual(fromDirectory);
  }, 60_000);
});
