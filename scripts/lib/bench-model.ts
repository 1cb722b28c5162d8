/**
 * A mid-size random Llama for `npm run bench -- --synthetic`: big enough that prefill dominates a turn, as it
 * does for the 7B model (where the tiny test model's turns cost little more than fixed per-call overheads), yet
 * quick to build here. Written once into .cache/bench-models/ and reused.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { convertCheckpoint } from '../convert/convert.ts';
import { TINY_LLAMA_DIR, writeModelIndex } from '../convert/fixture-models.ts';
import { llamaConfig, randomTensors, writeCheckpoint, type TinyShape } from '../../tests/support/make-checkpoint.ts';

export const BENCH_SHAPE: TinyShape = { vocab: 32000, hidden: 1024, intermediate: 2816, layers: 8, heads: 16, bias: false };
export const BENCH_MODEL_ID = 'bench-llama-170m';

/** Returns the models directory that holds the bench model (building it the first time). */
export async function ensureBenchModel(root: string): Promise<string> {
  const models = join(root, '.cache', 'bench-models');
  const out = join(models, BENCH_MODEL_ID);
  if (existsSync(join(out, 'manifest.json'))) return models;
  const checkpoint = join(root, '.cache', 'bench-checkpoint');
  console.error(`building ${BENCH_MODEL_ID} (hidden ${BENCH_SHAPE.hidden}, ${BENCH_SHAPE.layers} layers, random weights)...`);
  writeCheckpoint(checkpoint, randomTensors(BENCH_SHAPE, 'BF16', 7), {
    format: 'safetensors',
    dtype: 'BF16',
    shards: 1,
    config: { ...llamaConfig(BENCH_SHAPE), max_position_embeddings: 4096 },
    tokenizerModel: join(TINY_LLAMA_DIR, 'tokenizer.model'),
  });
  await convertCheckpoint({ checkpointDir: checkpoint, outDir: out, dtypes: ['q4', 'q4f16'], chatTemplate: 'agent-flan', label: 'Bench Llama 170M (random)' });
  rmSync(checkpoint, { recursive: true, force: true });
  writeModelIndex(models);
  return models;
}
