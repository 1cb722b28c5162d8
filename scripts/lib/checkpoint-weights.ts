/** Whole-checkpoint fp32 weights for the TypeScript reference forward pass (tiny fixtures only). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCheckpoint } from '../convert/checkpoint.ts';
import type { DecoderSpec } from '../convert/config.ts';
import { normalizeConfig } from '../convert/config.ts';
import { decodeToFloat32 } from '../convert/dtype.ts';
import { dequantize4, quantize4 } from '../convert/quantize.ts';
import { planWeights } from '../convert/weights.ts';
import { symmetricProjection } from '../convert/graph.ts';
import type { Weights } from './llama-forward.ts';

export interface LoadedCheckpoint {
  spec: DecoderSpec;
  weights: Weights;
  shapes: Map<string, number[]>;
}

export function loadCheckpoint(dir: string): LoadedCheckpoint {
  const spec = normalizeConfig(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')));
  const weights: Weights = new Map();
  const shapes = new Map<string, number[]>();
  for (const [name, e] of openCheckpoint(dir, spec)) {
    weights.set(name, decodeToFloat32(e.read(), e.dtype));
    shapes.set(name, e.shape);
  }
  return { spec, weights, shapes };
}

/** The weights the q4 build computes with: linear layers through 4-bit and back, the rest as is. */
export function as4BitBuild({ spec, weights, shapes }: LoadedCheckpoint): Weights {
  const out: Weights = new Map(weights);
  for (const w of planWeights(spec)) {
    const v = weights.get(w.sources[0])!;
    if (w.role === 'linear') {
      const [n, k] = shapes.get(w.sources[0])!;
      out.set(w.target, dequantize4(quantize4(v, n, k, symmetricProjection(w.target))));
    }
  }
  return out;
}
