import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DecoderSpec } from './config.ts';
import { expectedTensors } from './config.ts';
import { readSafetensorsIndex } from './safetensors.ts';
import type { TensorEntry } from './tensor-entry.ts';
import { readTorchBinIndex } from './torch-bin.ts';

/** Tensors HF checkpoints may carry that the graph recomputes or never needs. */
const IGNORED = /(^|\.)rotary_emb\.inv_freq$/;

export interface WeightFormat {
  /** Per-shard reader: lists the tensors of one weight file. */
  readIndex(file: string): TensorEntry[];
  single: string;
  index: string;
}

const SAFETENSORS: WeightFormat = { readIndex: readSafetensorsIndex, single: 'model.safetensors', index: 'model.safetensors.index.json' };

const PYTORCH: WeightFormat = { readIndex: readTorchBinIndex, single: 'pytorch_model.bin', index: 'pytorch_model.bin.index.json' };
/** In order of preference when a directory holds both. */
const FORMATS: WeightFormat[] = [SAFETENSORS, PYTORCH];

/** The weight files of a checkpoint directory: single file or the shards its index names. */
export function listWeightFiles(dir: string): { format: WeightFormat; files: string[] } {
  for (const format of FORMATS) {
    const indexPath = join(dir, format.index);
    if (existsSync(indexPath)) {
      let index: { weight_map?: Record<string, string> };
      try {
        index = JSON.parse(readFileSync(indexPath, 'utf8'));
      } catch {
        throw new Error(`${indexPath}: not valid JSON`);
      }
      if (!index.weight_map || typeof index.weight_map !== 'object') throw new Error(`${indexPath}: has no "weight_map"`);
      const files = [...new Set(Object.values(index.weight_map))].sort();
      for (const f of files) {
        if (!existsSync(join(dir, f))) throw new Error(`${indexPath}: names shard ${f}, which is missing from ${dir}`);
      }
      return { format, files: files.map((f) => join(dir, f)) };
    }
    if (existsSync(join(dir, format.single))) return { format, files: [join(dir, format.single)] };
  }
  const names = FORMATS.flatMap((f) => [f.single, f.index]).join(', ');
  throw new Error(`${dir}: no weights found (looked for ${names})`);
}

/**
 * Opens a checkpoint's weights and checks them against the spec before anything is converted:
 * every expected tensor present exactly once with the expected shape, nothing unexpected.
 */
export function openCheckpoint(dir: string, spec: DecoderSpec): Map<string, TensorEntry> {
  const { format, files } = listWeightFiles(dir);
  const byName = new Map<string, TensorEntry>();
  for (const file of files) {
    for (const entry of format.readIndex(file)) {
      if (IGNORED.test(entry.name)) continue;
      const prev = byName.get(entry.name);
      if (prev) throw new Error(`${entry.file}: tensor ${entry.name} also appears in ${prev.file}`);
      byName.set(entry.name, entry);
    }
  }
  const expected = expectedTensors(spec);
  for (const [name, shape] of expected) {
    const entry = byName.get(name);
    if (!entry) throw new Error(`${dir}: tensor ${name} is missing from the checkpoint (expected shape [${shape}])`);
    if (entry.shape.length !== shape.length || entry.shape.some((d, i) => d !== shape[i]))
      throw new Error(`${entry.file}: tensor ${name} has shape [${entry.shape}], expected [${shape}] from config.json`);
  }
  for (const [name, entry] of byName) {
    if (!expected.has(name)) throw new Error(`${entry.file}: unexpected tensor ${name} (shape [${entry.shape}]) for this config`);
  }
  return byName;
}
