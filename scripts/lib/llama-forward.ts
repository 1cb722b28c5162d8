/**
 * A plain fp32 Llama forward pass in TypeScript (no cache, batch 1), written from the model's definition,
 * independent of the converter's graph: reference logits for the fixtures the tests generate.
 */
import type { DecoderSpec } from '../convert/config.ts';

export type Weights = Map<string, Float32Array>;

/** y[S, N] = x[S, K] . W^T for W [N, K] (+ bias). */
function matmulT(x: Float32Array, S: number, K: number, w: Float32Array, N: number, bias?: Float32Array): Float32Array {
  const y = new Float32Array(S * N);
  for (let s = 0; s < S; s++) {
    for (let n = 0; n < N; n++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc += x[s * K + k] * w[n * K + k];
      y[s * N + n] = acc + (bias ? bias[n] : 0);
    }
  }
  return y;
}

function rmsNorm(x: Float32Array, S: number, H: number, w: Float32Array, eps: number): Float32Array {
  const y = new Float32Array(S * H);
  for (let s = 0; s < S; s++) {
    let ss = 0;
    for (let i = 0; i < H; i++) ss += x[s * H + i] ** 2;
    const inv = 1 / Math.sqrt(ss / H + eps);
    for (let i = 0; i < H; i++) y[s * H + i] = x[s * H + i] * inv * w[i];
  }
  return y;
}

/** Rotate-half rope on [S, heads * D] in place, positions 0..S-1. */
function rope(x: Float32Array, S: number, heads: number, D: number, theta: number): void {
  const half = D / 2;
  for (let s = 0; s < S; s++) {
    for (let h = 0; h < heads; h++) {
      const base = s * heads * D + h * D;
      for (let i = 0; i < half; i++) {
        const angle = s / theta ** ((2 * i) / D);
        const c = Math.cos(angle);
        const sn = Math.sin(angle);
        const a = x[base + i];
        const b = x[base + i + half];
        x[base + i] = a * c - b * sn;
        x[base + i + half] = b * c + a * sn;
      }
    }
  }
}

export interface ForwardOptions {
  lastOnly?: boolean;
  /** Stop before lm_head: the final-norm hidden states [S, hidden] (or [1, hidden] with lastOnly). */
  hiddenOnly?: boolean;
  /** Sees the input [rows, cols] of every linear layer, named by its weight, before it is applied. */
  onLinearInput?: (weight: string, x: Float32Array, rows: number, cols: number) => void;
}

/** Logits [S, vocab] for the whole sequence, or [1, vocab] for its last position only (or hidden states, see above). */
export function llamaForward(spec: DecoderSpec, w: Weights, inputIds: number[], opts: ForwardOptions = {}): Float32Array {
  const get = (name: string) => {
    const t = w.get(name);
    if (!t) throw new Error(`llamaForward: weight ${name} missing`);
    return t;
  };
  const S = inputIds.length;
  const H = spec.hiddenSize;
  const nh = spec.numHeads;
  const D = spec.headDim;
  const I = spec.intermediateSize;
  const emb = get('model.embed_tokens.weight');
  let x: Float32Array = new Float32Array(S * H);
  inputIds.forEach((id, s) => x.set(emb.subarray(id * H, (id + 1) * H), s * H));
  const bias = (name: string) => (spec.attentionBias ? get(name) : undefined);
  const linear = (x: Float32Array, S: number, K: number, weight: string, N: number, b?: Float32Array) => {
    opts.onLinearInput?.(weight, x, S, K);
    return matmulT(x, S, K, get(weight), N, b);
  };
  for (let l = 0; l < spec.numLayers; l++) {
    const p = `model.layers.${l}`;
    const h = rmsNorm(x, S, H, get(`${p}.input_layernorm.weight`), spec.rmsNormEps);
    const q = linear(h, S, H, `${p}.self_attn.q_proj.weight`, nh * D, bias(`${p}.self_attn.q_proj.bias`));
    const k = linear(h, S, H, `${p}.self_attn.k_proj.weight`, nh * D, bias(`${p}.self_attn.k_proj.bias`));
    const v = linear(h, S, H, `${p}.self_attn.v_proj.weight`, nh * D, bias(`${p}.self_attn.v_proj.bias`));
    rope(q, S, nh, D, spec.ropeTheta);
    rope(k, S, nh, D, spec.ropeTheta);
    const attn = new Float32Array(S * nh * D);
    const scores = new Float64Array(S);
    for (let head = 0; head < nh; head++) {
      for (let i = 0; i < S; i++) {
        let max = -Infinity;
        for (let j = 0; j <= i; j++) {
          let dot = 0;
          for (let d = 0; d < D; d++) dot += q[i * nh * D + head * D + d] * k[j * nh * D + head * D + d];
          scores[j] = dot / Math.sqrt(D);
          max = Math.max(max, scores[j]);
        }
        let sum = 0;
        for (let j = 0; j <= i; j++) sum += scores[j] = Math.exp(scores[j] - max);
        for (let d = 0; d < D; d++) {
          let acc = 0;
          for (let j = 0; j <= i; j++) acc += scores[j] * v[j * nh * D + head * D + d];
          attn[i * nh * D + head * D + d] = acc / sum;
        }
      }
    }
    const o = linear(attn, S, nh * D, `${p}.self_attn.o_proj.weight`, H, bias(`${p}.self_attn.o_proj.bias`));
    for (let i = 0; i < x.length; i++) x[i] += o[i];
    const h2 = rmsNorm(x, S, H, get(`${p}.post_attention_layernorm.weight`), spec.rmsNormEps);
    const gate = linear(h2, S, H, `${p}.mlp.gate_proj.weight`, I);
    const up = linear(h2, S, H, `${p}.mlp.up_proj.weight`, I);
    for (let i = 0; i < gate.length; i++) gate[i] = (gate[i] / (1 + Math.exp(-gate[i]))) * up[i];
    const down = linear(gate, S, I, `${p}.mlp.down_proj.weight`, H);
    for (let i = 0; i < x.length; i++) x[i] += down[i];
  }
  x = rmsNorm(x, S, H, get('model.norm.weight'), spec.rmsNormEps);
  if (opts.hiddenOnly) return opts.lastOnly ? x.slice((S - 1) * H) : x;
  const head = w.has('lm_head.weight') ? 'lm_head.weight' : 'model.embed_tokens.weight';
  if (opts.lastOnly) return linear(x.subarray((S - 1) * H), 1, H, head, spec.vocabSize);
  return linear(x, S, H, head, spec.vocabSize);
}
