/**
 * What the converter writes and refuses: external data split into chunks that transformers.js finds, the
 * all-or-nothing output directory, refusals naming the file and the problem, and the KV-cache contract.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertCheckpoint } from '../../scripts/convert/convert.ts';
import { ensureFixtureModels, TINY_LLAMA_DIR } from '../../scripts/convert/fixture-models.ts';
import { llamaConfig, randomTensors, writeCheckpoint } from '../support/make-checkpoint.ts';
import type { TinyShape } from '../support/make-checkpoint.ts';
import { lastLogits, loadConverted } from '../support/transformers-node.ts';

const FIXTURE = TINY_LLAMA_DIR;
const TOKENIZER = join(FIXTURE, 'tokenizer.model');
const reference = JSON.parse(readFileSync(join(FIXTURE, 'reference.json'), 'utf8')) as { cases: { input_ids: number[]; last_logits: number[] }[] };
const SHAPE: TinyShape = { vocab: 32000, hidden: 32, intermediate: 64, layers: 1, heads: 2, bias: false };

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'convert-output-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('external data chunks', () => {
  it('splits weights into <= limit chunks named as transformers.js expects, and the chunked model still matches PyTorch', async () => {
    const out = join(root, 'chunked');
    // The 32000 x 64 fp32 embedding and lm_head (8.2 MB each) fit one per chunk; the rest shares a third.
    const limit = 8_500_000;
    const manifest = await convertCheckpoint({ checkpointDir: FIXTURE, outDir: out, dtypes: ['fp32'], maxChunkBytes: limit });
    const chunks = readdirSync(join(out, 'onnx')).filter((f) => f.includes('_data')).sort();
    expect(chunks.length).toBe(3);
    expect(chunks).toEqual(['model.onnx_data', ...Array.from({ length: chunks.length - 1 }, (_, i) => `model.onnx_data_${i + 1}`)].sort());
    for (const c of chunks) expect(statSync(join(out, 'onnx', c)).size).toBeLessThanOrEqual(limit);
    const cfg = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(cfg['transformers.js_config'].use_external_data_format).toEqual({ 'model.onnx': chunks.length });
    expect(manifest.dtypes.fp32!.files.map((f) => f.path).sort()).toEqual(['onnx/model.onnx', ...chunks.map((c) => `onnx/${c}`)].sort());
    expect(manifest.dtypes.fp32!.maxTensorBytes).toBe(32000 * 64 * 4);

    const model = await loadConverted(out, 'fp32');
    const c = reference.cases[0];
    const last = await lastLogits(model, c.input_ids);
    let maxDiff = 0;
    c.last_logits.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - last[i]))));
    expect(maxDiff).toBeLessThan(1e-3);
    await model.dispose();
  }, 30_000);
});

describe('the KV-cache contract', () => {
  it('a prompt fed in two parts through past_key_values gives the logits of one pass (fp32 and q4f16, split graph)', async () => {
    const out = join(root, 'kv');
    await convertCheckpoint({ checkpointDir: FIXTURE, outDir: out, dtypes: ['fp32', 'q4f16'], graph: 'split' });
    const ids = reference.cases[0].input_ids;
    const split = 11;
    const i64 = (xs: number[]) => new ort.Tensor('int64', BigInt64Array.from(xs.map(BigInt)), [1, xs.length]);
    const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
    for (const [file, type] of [['model.onnx', 'float32'], ['model_q4f16.onnx', 'float16']] as const) {
      const session = await ort.InferenceSession.create(join(out, 'onnx', file));
      const empty = () => new ort.Tensor(type, type === 'float32' ? new Float32Array(0) : new Uint16Array(0), [1, 4, 0, 16]);
      const run = (part: number[], start: number, past: Record<string, ort.Tensor> | null, keep = 0) => {
        const feeds: Record<string, ort.Tensor> = {
          input_ids: i64(part),
          attention_mask: i64(range(0, start + part.length).map(() => 1)),
          position_ids: i64(range(start, start + part.length)),
          num_logits_to_keep: new ort.Tensor('int64', BigInt64Array.of(BigInt(keep)), []),
        };
        for (let l = 0; l < 2; l++)
          for (const kv of ['key', 'value']) feeds[`past_key_values.${l}.${kv}`] = past ? past[`present.${l}.${kv}`] : empty();
        return session.run(feeds);
      };
      const whole = await run(ids, 0, null);
      const first = await run(ids.slice(0, split), 0, null);
      expect(first['present.0.key'].dims).toEqual([1, 4, split, 16]);
      const second = await run(ids.slice(split), split, first);
      expect(second['present.1.value'].dims).toEqual([1, 4, ids.length, 16]);
      const a = whole.logits.data as Float32Array;
      const b = second.logits.data as Float32Array;
      const tail = a.subarray(split * 32000);
      let maxDiff = 0;
      for (let i = 0; i < b.length; i++) maxDiff = Math.max(maxDiff, Math.abs(tail[i] - b[i]));
      console.log(`${file}: max |logit(two parts) - logit(one pass)| = ${maxDiff.toExponential(2)}`);
      expect(maxDiff).toBeLessThan(type === 'float32' ? 1e-4 : 2e-2);
      // Without the cache the same tokens give other logits: the cache, not luck, carries the first part.
      const alone = (await run(ids.slice(split), 0, null)).logits.data as Float32Array;
      let aloneDiff = 0;
      for (let i = 0; i < b.length; i++) aloneDiff = Math.max(aloneDiff, Math.abs(tail[i] - alone[i]));
      expect(aloneDiff).toBeGreaterThan(0.1);
      // num_logits_to_keep = 1: only the last position's logits, the same as the full pass's last row.
      const last = await run(ids, 0, null, 1);
      expect(last.logits.dims).toEqual([1, 1, 32000]);
      const lastRow = a.subarray((ids.length - 1) * 32000);
      let lastDiff = 0;
      for (let i = 0; i < 32000; i++) lastDiff = Math.max(lastDiff, Math.abs(lastRow[i] - (last.logits.data as Float32Array)[i]));
      expect(lastDiff).toBeLessThan(type === 'float32' ? 1e-5 : 1e-2);
      await session.release();
    }
  }, 30_000);
});

describe('npm run fixtures', () => {
  it('converts the test model once, then skips it while inputs and converter are unchanged, and lists it in index.json', async () => {
    const models = join(root, 'models');
    mkdirSync(models);
    expect(await ensureFixtureModels(models)).toEqual(['tiny-random-agent-flan']);
    const manifest = JSON.parse(readFileSync(join(models, 'tiny-random-agent-flan', 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.dtypes)).toEqual(['q4f16', 'q4', 'fp32']);
    expect(manifest.chatTemplate).toBe('agent-flan');
    expect(await ensureFixtureModels(models)).toEqual([]);
    expect(JSON.parse(readFileSync(join(models, 'index.json'), 'utf8'))).toEqual({
      models: [{ id: 'tiny-random-agent-flan', label: manifest.label }],
    });
  });
});

describe('chat template choice', () => {
  it('auto writes the Agent-FLAN template and stop ids only for a checkpoint named Agent-FLAN', async () => {
    const named = join(root, 'Agent-FLAN-tiny');
    const plain = join(root, 'plain-llama');
    for (const dir of [named, plain]) writeCheckpoint(dir, randomTensors(SHAPE, 'BF16'), { format: 'safetensors', dtype: 'BF16', shards: 1, config: llamaConfig(SHAPE), tokenizerModel: TOKENIZER });
    const a = await convertCheckpoint({ checkpointDir: named, outDir: `${named}-out`, dtypes: ['q4'] });
    const b = await convertCheckpoint({ checkpointDir: plain, outDir: `${plain}-out`, dtypes: ['q4'] });
    expect([a.chatTemplate, a.stopTokenIds]).toEqual(['agent-flan', [2, 30387]]);
    expect([b.chatTemplate, b.stopTokenIds]).toEqual([null, [2]]);
    const tc = (dir: string) => JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'));
    expect(tc(`${named}-out`).chat_template).toContain('<|Assistant|>');
    expect(tc(`${plain}-out`).chat_template).toBeUndefined();
    expect(JSON.parse(readFileSync(join(`${plain}-out`, 'generation_config.json'), 'utf8')).eos_token_id).toBe(2);
  });
});

describe('all-or-nothing output', () => {
  it('an interrupted conversion leaves neither a partial directory nor a half-written output, and keeps the old output', async () => {
    const out = join(root, 'atomic');
    mkdirSync(out);
    writeFileSync(join(out, 'manifest.json'), '{"old": true}');
    let calls = 0;
    await expect(
      convertCheckpoint({
        checkpointDir: FIXTURE,
        outDir: out,
        dtypes: ['q4'],
        // The progress callback runs after tensors are written: failing there interrupts a conversion in flight.
        log: () => {
          if (++calls === 1) throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    expect(readdirSync(root).filter((f) => f.startsWith('atomic'))).toEqual(['atomic']);
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe('{"old": true}');
  });
});

describe('refusals', () => {
  function checkpoint(name: string, config: Record<string, unknown>, o: { format?: 'safetensors' | 'bin'; shards?: number } = {}) {
    const dir = join(root, name);
    writeCheckpoint(dir, randomTensors(SHAPE, 'BF16'), { format: o.format ?? 'safetensors', dtype: 'BF16', shards: o.shards ?? 1, config, tokenizerModel: TOKENIZER });
    return dir;
  }
  const attempt = (dir: string) => convertCheckpoint({ checkpointDir: dir, outDir: `${dir}-out`, dtypes: ['q4'] });

  it.each([
    ['an unknown architecture', { model_type: 'gpt_neox', architectures: ['GPTNeoXForCausalLM'] }, /unsupported architecture .*gpt_neox/],
    ['grouped-query attention', { num_key_value_heads: 1 }, /grouped-query attention .*not implemented/],
    ['sliding-window attention', { sliding_window: 64 }, /sliding-window attention .*not implemented/],
    ['scaled rope', { rope_scaling: { rope_type: 'linear', factor: 2 } }, /rope type "linear" is not implemented/],
    ['a non-SiLU activation', { hidden_act: 'gelu' }, /hidden_act "gelu" is not supported/],
  ])('refuses %s in config.json, naming the file', async (_what, patch, message) => {
    const dir = checkpoint(`refuse-${_what.replace(/\W+/g, '-')}`, { ...llamaConfig(SHAPE), ...patch });
    await expect(attempt(dir)).rejects.toThrow(new RegExp(`config\\.json: ${message.source}`));
    expect(existsSync(`${dir}-out`)).toBe(false);
  });

  it('refuses a tensor whose shape disagrees with config.json, naming the weight file', async () => {
    const dir = checkpoint('refuse-shape', { ...llamaConfig(SHAPE), intermediate_size: 96 });
    await expect(attempt(dir)).rejects.toThrow(/model\.safetensors: tensor model\.layers\.0\.mlp\.gate_proj\.weight has shape \[64,32\], expected \[96,32\]/);
  });

  it('refuses a sharded checkpoint whose index names a missing shard', async () => {
    const dir = checkpoint('refuse-shard', llamaConfig(SHAPE), { format: 'bin', shards: 2 });
    rmSync(join(dir, 'pytorch_model-00002-of-00002.bin'));
    await expect(attempt(dir)).rejects.toThrow(/pytorch_model\.bin\.index\.json: names shard pytorch_model-00002-of-00002\.bin, which is missing/);
  });

  it('refuses a checkpoint missing a tensor, and one with a tensor the config does not explain', async () => {
    const missing = checkpoint('refuse-missing', { ...llamaConfig(SHAPE), num_hidden_layers: 2 });
    await expect(attempt(missing)).rejects.toThrow(/tensor model\.layers\.1\.input_layernorm\.weight is missing from the checkpoint/);
    const extra = checkpoint('refuse-extra', { ...llamaConfig(SHAPE), attention_bias: false, tie_word_embeddings: true });
    await expect(attempt(extra)).rejects.toThrow(/model\.safetensors: unexpected tensor lm_head\.weight/);
  });

  it('refuses a compressed .bin entry and a file that is not a zip', async () => {
    const dir = checkpoint('refuse-deflate', llamaConfig(SHAPE), { format: 'bin' });
    const file = join(dir, 'pytorch_model.bin');
    const bytes = readFileSync(file);
    // Mark the first entry (data/0) deflated, in its local header and in its central-directory record,
    // whose offset the end-of-central-directory record (the file's last 22 bytes) gives.
    bytes.writeUInt16LE(8, 8);
    bytes.writeUInt16LE(8, bytes.readUInt32LE(bytes.length - 22 + 16) + 10);
    writeFileSync(file, bytes);
    await expect(attempt(dir)).rejects.toThrow(/pytorch_model\.bin: entry pytorch_model\/data\/0 is compressed/);
    writeFileSync(file, 'PK not really');
    await expect(attempt(dir)).rejects.toThrow(/pytorch_model\.bin: not a zip archive/);
  });
});
