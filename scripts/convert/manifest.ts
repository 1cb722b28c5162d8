/** Builds the app's `manifest.json` (src/lib/models/manifest.ts) from the files a conversion wrote. */
import { createHash } from 'node:crypto';
import type { ModelDtype } from '../../src/lib/engine/types.ts';
import type { DtypeEntry, ManifestFile, ModelManifest } from '../../src/lib/models/manifest.ts';
import type { DecoderSpec } from './config.ts';
import type { BuildDtype } from './graph.ts';

export function fileEntry(path: string, data: Uint8Array): ManifestFile {
  return { path, bytes: data.byteLength, sha256: createHash('sha256').update(data).digest('hex') };
}

/** Prompt tokens per forward pass in the app's engine (src/lib/engine/worker-runtime.ts PREFILL_CHUNK). */
export const PREFILL_CHUNK_TOKENS = 512;

/**
 * GPU memory at full context in the app's engine: the weights, the KV cache (2 x layers x kv heads x head dim x
 * context), and the largest activations of one prefill chunk (logits in the activation type plus their fp32
 * copy, the MLP's three intermediate tensors, a few hidden-size tensors). Attention scores are left out:
 * GroupQueryAttention on WebGPU does not materialise the full score matrix.
 */
export function estimateGpuBytes(spec: DecoderSpec, dtype: BuildDtype, weightBytes: number): number {
  const act = dtype === 'q4f16' ? 2 : 4;
  const kvCache = 2 * spec.numLayers * spec.numKeyValueHeads * spec.headDim * spec.contextLength * act;
  const ctx = Math.min(spec.contextLength, PREFILL_CHUNK_TOKENS);
  const activations = ctx * (spec.vocabSize * (act + 4) + 3 * spec.intermediateSize * act + 6 * spec.hiddenSize * act);
  return weightBytes + kvCache + activations;
}

export interface ManifestInput {
  id: string;
  label: string;
  spec: DecoderSpec;
  chatTemplate: 'agent-flan' | null;
  stopTokenIds: number[];
  common: ManifestFile[];
  dtypes: { dtype: BuildDtype; files: ManifestFile[]; weightBytes: number; maxTensorBytes: number }[];
}

export function buildManifest(m: ManifestInput): ModelManifest {
  const commonBytes = m.common.reduce((a, f) => a + f.bytes, 0);
  const dtypes: Partial<Record<ModelDtype, DtypeEntry>> = {};
  for (const d of m.dtypes) {
    dtypes[d.dtype] = {
      files: d.files,
      bytes: commonBytes + d.files.reduce((a, f) => a + f.bytes, 0),
      gpuBytes: estimateGpuBytes(m.spec, d.dtype, d.weightBytes),
      maxTensorBytes: d.maxTensorBytes,
    };
  }
  return {
    format: 1,
    id: m.id,
    label: m.label,
    architecture: 'llama',
    contextLength: m.spec.contextLength,
    vocabSize: m.spec.vocabSize,
    numLayers: m.spec.numLayers,
    hiddenSize: m.spec.hiddenSize,
    numKeyValueHeads: m.spec.numKeyValueHeads,
    headDim: m.spec.headDim,
    chatTemplate: m.chatTemplate,
    stopTokenIds: m.stopTokenIds,
    common: m.common,
    dtypes,
  };
}
