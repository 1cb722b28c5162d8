import { AutoConfig, ModelRegistry, env } from '@huggingface/transformers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureModelFiles } from '../../src/lib/models/downloader';
import { ModelFileNotVerifiedError } from '../../src/lib/models/errors';
import { MemoryFileStore } from '../../src/lib/models/memory-store';
import { createModelFileCache, useModelFileCache } from '../../src/lib/models/transformers-cache';
import { manifestFor, servedUnder } from './support/model-fixture';
import { startRangeServer, type RangeServer } from './support/range-server';

// The real transformers.js 4.3.1 decides which files it asks for and under which keys; these tests check
// that, wired with useModelFileCache, it gets every one of them from the store and never from the network.

const MODEL = 'tiny-cache-model';
const text = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const CONTENT: Record<string, Uint8Array> = {
  'config.json': text({
    model_type: 'llama',
    architectures: ['LlamaForCausalLM'],
    hidden_size: 8,
    num_attention_heads: 1,
    num_hidden_layers: 1,
    vocab_size: 32,
    'transformers.js_config': { use_external_data_format: 2 },
  }),
  'generation_config.json': text({ eos_token_id: 2 }),
  'tokenizer.json': text({ model: { type: 'BPE' } }),
  'tokenizer_config.json': text({ bos_token: '<s>' }),
  'onnx/model_q4.onnx': new Uint8Array(3000).fill(7),
  'onnx/model_q4.onnx_data': new Uint8Array(70_000).fill(1),
  'onnx/model_q4.onnx_data_1': new Uint8Array(50_000).fill(2),
};
const MANIFEST = manifestFor(
  MODEL,
  CONTENT,
  ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json'],
  { q4: ['onnx/model_q4.onnx', 'onnx/model_q4.onnx_data', 'onnx/model_q4.onnx_data_1'] },
);

let server: RangeServer;
let store: MemoryFileStore;
let modelsBaseUrl: string;

beforeAll(async () => {
  server = await startRangeServer(servedUnder(MODEL, CONTENT));
  modelsBaseUrl = `${server.baseUrl}/models/`;
  store = new MemoryFileStore();
  const cache = createModelFileCache(store, [{ baseUrl: modelsBaseUrl + MODEL, manifest: MANIFEST }]);
  useModelFileCache(env, { modelsBaseUrl, cache });
  await ensureModelFiles({ baseUrl: modelsBaseUrl + MODEL, manifest: MANIFEST, dtype: 'q4', store, storage: null });
  server.requests.length = 0;
});
afterAll(async () => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

describe('transformers.js reading model files through the store', () => {
  it('asks for exactly files the manifest lists, for q4 with two external data chunks', async () => {
    const files = await ModelRegistry.get_model_files(MODEL, { dtype: 'q4' });
    expect(files).toEqual(
      expect.arrayContaining(['config.json', 'onnx/model_q4.onnx', 'onnx/model_q4.onnx_data', 'onnx/model_q4.onnx_data_1']),
    );
    const listed = new Set([...MANIFEST.common, ...MANIFEST.dtypes.q4!.files].map((f) => f.path));
    expect(files.filter((f) => !listed.has(f))).toEqual([]);
  });

  it('finds every file it needs in the cache', async () => {
    const status = await ModelRegistry.is_cached_files(MODEL, { dtype: 'q4' });
    expect(status.files.map((f) => f.file)).toEqual(expect.arrayContaining(['onnx/model_q4.onnx_data_1', 'tokenizer.json']));
    expect(status.allCached).toBe(true);
    // The registry also probes optional processor files over the network; none of the model's files are fetched.
    expect(server.requests.filter((r) => !r.path.endsWith('/preprocessor_config.json'))).toEqual([]);
  });

  it('loads config.json from the store with its full size known, without a request', async () => {
    const progress: { file?: string; total?: number; loaded?: number }[] = [];
    const config = await AutoConfig.from_pretrained(MODEL, {
      progress_callback: (p: { status: string; file?: string; total?: number; loaded?: number }) => {
        if (p.status === 'progress') progress.push(p);
      },
    });
    expect((config as unknown as { model_type: string }).model_type).toBe('llama');
    expect(progress.at(-1)).toMatchObject({ file: 'config.json', loaded: CONTENT['config.json'].length, total: CONTENT['config.json'].length });
    expect(server.requests).toEqual([]);
  });

  it('serves the stored bytes for the data chunks under the key transformers.js uses', async () => {
    const cache = env.customCache as ReturnType<typeof createModelFileCache>;
    const response = await cache.match(`${modelsBaseUrl}${MODEL}/onnx/model_q4.onnx_data_1`);
    expect(response?.headers.get('content-length')).toBe('50000');
    expect(new Uint8Array(await response!.arrayBuffer())).toEqual(CONTENT['onnx/model_q4.onnx_data_1']);
    expect(await cache.match(`${modelsBaseUrl}${MODEL}/onnx/model_q4f16.onnx`)).toBeUndefined();
  });

  it('refuses to fetch a managed file that is not verified, instead of using unchecked bytes', async () => {
    // Opening a file for writing drops its verified mark, as an interrupted re-download would.
    await (await store.openWriter(MODEL, 'config.json')).close();
    await expect(AutoConfig.from_pretrained(MODEL)).rejects.toThrow(ModelFileNotVerifiedError);
    expect(server.requests).toEqual([]);

    // The bytes are all there: ensureModelFiles verifies them locally, again without a request.
    const result = await ensureModelFiles({ baseUrl: modelsBaseUrl + MODEL, manifest: MANIFEST, dtype: 'q4', store, storage: null });
    expect(result.networkBytes).toBe(0);
    expect(server.requests).toEqual([]);
    const config = await AutoConfig.from_pretrained(MODEL);
    expect((config as unknown as { model_type: string }).model_type).toBe('llama');
  });
});
