/** Loads converted models with transformers.js in Node (onnxruntime-node, CPU), from local files only. */
import { AutoModelForCausalLM, AutoTokenizer, env, Tensor } from '@huggingface/transformers';
import { basename, dirname } from 'node:path';

function useLocal(modelDir: string): string {
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.localModelPath = dirname(modelDir) + '/';
  return basename(modelDir);
}

export async function loadConverted(modelDir: string, dtype: 'fp32' | 'q4' | 'q4f16') {
  return AutoModelForCausalLM.from_pretrained(useLocal(modelDir), { dtype, device: 'cpu' });
}

export async function loadConvertedTokenizer(modelDir: string) {
  return AutoTokenizer.from_pretrained(useLocal(modelDir));
}

export type CausalLM = Awaited<ReturnType<typeof loadConverted>>;

const ids = (xs: number[]) => new Tensor('int64', BigInt64Array.from(xs.map(BigInt)), [1, xs.length]);

/** Logits [seq, vocab] for one prompt, through transformers.js's own forward (it builds position ids and the empty cache). */
export async function forwardLogits(model: CausalLM, inputIds: number[]): Promise<Float32Array> {
  const out = await model({ input_ids: ids(inputIds), attention_mask: ids(inputIds.map(() => 1)) });
  return out.logits.data as Float32Array;
}

/** The last position's logits (the fused graph computes no other; the split graph every position). */
export async function lastLogits(model: CausalLM, inputIds: number[]): Promise<Float32Array> {
  const out = await model({ input_ids: ids(inputIds), attention_mask: ids(inputIds.map(() => 1)) });
  const [, rows, vocab] = out.logits.dims as number[];
  return (out.logits.data as Float32Array).slice((rows - 1) * vocab);
}

/** Greedy continuation through transformers.js generate (no sampling, no early stop). */
export async function greedy(model: CausalLM, inputIds: number[], n: number): Promise<number[]> {
  const out = (await model.generate({
    input_ids: ids(inputIds),
    attention_mask: ids(inputIds.map(() => 1)),
    max_new_tokens: n,
    min_new_tokens: n,
    do_sample: false,
  })) as Tensor;
  return Array.from(out.data as BigInt64Array, Number).slice(inputIds.length);
}

export function topK(values: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: values.length }, (_, i) => i)
    .sort((x, y) => values[y] - values[x])
    .slice(0, k);
}
