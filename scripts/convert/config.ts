/**
 * Normalises a checkpoint's config.json (LlamaForCausalLM, or InternLM v1 which has Llama's shapes and parameter
 * names) into the one decoder shape this converter builds, refusing what the graph does not implement.
 */

export interface DecoderSpec {
  sourceArchitecture: 'LlamaForCausalLM' | 'InternLMForCausalLM';
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  numKeyValueHeads: number;
  headDim: number;
  ropeTheta: number;
  rmsNormEps: number;
  contextLength: number;
  /** Bias on q/k/v/o projections (InternLM v1 `bias: true`, Llama `attention_bias: true`). */
  attentionBias: boolean;
  tieWordEmbeddings: boolean;
  bosTokenId: number;
  eosTokenId: number;
  padTokenId: number | null;
}

type Json = Record<string, unknown>;

function num(cfg: Json, key: string, file: string, fallback?: number): number {
  const v = cfg[key];
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    throw new Error(`${file}: missing "${key}"`);
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${file}: "${key}" must be a number, got ${JSON.stringify(v)}`);
  return v;
}

function firstId(v: unknown, fallback: number): number {
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && typeof v[0] === 'number') return v[0];
  return fallback;
}

export function normalizeConfig(cfg: Json, file = 'config.json'): DecoderSpec {
  const archs = Array.isArray(cfg.architectures) ? (cfg.architectures as string[]) : [];
  const modelType = cfg.model_type;
  let sourceArchitecture: DecoderSpec['sourceArchitecture'];
  if (modelType === 'llama' || archs.includes('LlamaForCausalLM')) sourceArchitecture = 'LlamaForCausalLM';
  else if (modelType === 'internlm' || archs.includes('InternLMForCausalLM')) sourceArchitecture = 'InternLMForCausalLM';
  else
    throw new Error(
      `${file}: unsupported architecture (model_type ${JSON.stringify(modelType)}, architectures ${JSON.stringify(archs)}); ` +
        'this converter handles LlamaForCausalLM and InternLM v1 (model_type "internlm") only',
    );

  const hiddenSize = num(cfg, 'hidden_size', file);
  const numHeads = num(cfg, 'num_attention_heads', file);
  const numKeyValueHeads = num(cfg, 'num_key_value_heads', file, numHeads);
  if (numKeyValueHeads !== numHeads)
    throw new Error(
      `${file}: grouped-query attention (num_key_value_heads ${numKeyValueHeads} != num_attention_heads ${numHeads}) is not implemented by this converter`,
    );
  for (const key of ['sliding_window', 'use_sliding_window']) {
    if (cfg[key]) throw new Error(`${file}: sliding-window attention ("${key}": ${JSON.stringify(cfg[key])}) is not implemented`);
  }
  const act = cfg.hidden_act ?? 'silu';
  if (act !== 'silu') throw new Error(`${file}: hidden_act ${JSON.stringify(act)} is not supported (only "silu")`);
  if (cfg.mlp_bias) throw new Error(`${file}: mlp_bias is not supported`);
  if (cfg.pretraining_tp !== undefined && cfg.pretraining_tp !== 1)
    throw new Error(`${file}: pretraining_tp ${JSON.stringify(cfg.pretraining_tp)} is not supported (only 1)`);

  const headDim = num(cfg, 'head_dim', file, hiddenSize / numHeads);
  if (!Number.isInteger(headDim) || headDim % 2 !== 0) throw new Error(`${file}: head dimension ${headDim} must be an even integer`);

  const ropeTheta = readRopeTheta(cfg, file);

  let attentionBias: boolean;
  if (sourceArchitecture === 'InternLMForCausalLM') attentionBias = cfg.bias === undefined ? true : Boolean(cfg.bias);
  else attentionBias = Boolean(cfg.attention_bias);

  return {
    sourceArchitecture,
    vocabSize: num(cfg, 'vocab_size', file),
    hiddenSize,
    intermediateSize: num(cfg, 'intermediate_size', file),
    numLayers: num(cfg, 'num_hidden_layers', file),
    numHeads,
    numKeyValueHeads,
    headDim,
    ropeTheta,
    rmsNormEps: num(cfg, 'rms_norm_eps', file, 1e-6),
    contextLength: num(cfg, 'max_position_embeddings', file),
    attentionBias,
    tieWordEmbeddings: Boolean(cfg.tie_word_embeddings),
    bosTokenId: firstId(cfg.bos_token_id, 1),
    eosTokenId: firstId(cfg.eos_token_id, 2),
    padTokenId: typeof cfg.pad_token_id === 'number' ? cfg.pad_token_id : null,
  };
}

/**
 * Rope base from `rope_theta` (transformers <= 4), `rope_parameters` (transformers 5) or InternLM's `rotary`.
 * Only plain rope is implemented; InternLM's "dynamic" NTK scaling is plain rope up to max_position_embeddings,
 * which is the context this build is limited to.
 */
function readRopeTheta(cfg: Json, file: string): number {
  const params = (cfg.rope_parameters ?? cfg.rope_scaling) as Json | null | undefined;
  if (params && typeof params === 'object') {
    const type = params.rope_type ?? params.type ?? 'default';
    if (type !== 'default')
      throw new Error(`${file}: rope type ${JSON.stringify(type)} is not implemented (only plain rope, rope_type "default")`);
  }
  const rotary = cfg.rotary as Json | undefined;
  if (rotary && typeof rotary === 'object') {
    const type = rotary.type ?? 'origin';
    if (type !== 'origin' && type !== 'dynamic') throw new Error(`${file}: InternLM rotary type ${JSON.stringify(type)} is not implemented`);
    if (typeof rotary.base === 'number') return rotary.base;
  }
  const theta = (params && typeof params.rope_theta === 'number' ? params.rope_theta : undefined) ?? cfg.rope_theta;
  if (theta === undefined) return 10000;
  if (typeof theta !== 'number') throw new Error(`${file}: rope_theta must be a number`);
  return theta;
}

/** The parameter names and shapes a checkpoint must hold for `spec` ([out, in] for linear weights). */
export function expectedTensors(spec: DecoderSpec): Map<string, number[]> {
  const h = spec.hiddenSize;
  const qDim = spec.numHeads * spec.headDim;
  const kvDim = spec.numKeyValueHeads * spec.headDim;
  const m = new Map<string, number[]>();
  m.set('model.embed_tokens.weight', [spec.vocabSize, h]);
  for (let i = 0; i < spec.numLayers; i++) {
    const p = `model.layers.${i}`;
    m.set(`${p}.input_layernorm.weight`, [h]);
    m.set(`${p}.self_attn.q_proj.weight`, [qDim, h]);
    m.set(`${p}.self_attn.k_proj.weight`, [kvDim, h]);
    m.set(`${p}.self_attn.v_proj.weight`, [kvDim, h]);
    m.set(`${p}.self_attn.o_proj.weight`, [h, qDim]);
    if (spec.attentionBias) {
      m.set(`${p}.self_attn.q_proj.bias`, [qDim]);
      m.set(`${p}.self_attn.k_proj.bias`, [kvDim]);
      m.set(`${p}.self_attn.v_proj.bias`, [kvDim]);
      m.set(`${p}.self_attn.o_proj.bias`, [h]);
    }
    m.set(`${p}.post_attention_layernorm.weight`, [h]);
    m.set(`${p}.mlp.gate_proj.weight`, [spec.intermediateSize, h]);
    m.set(`${p}.mlp.up_proj.weight`, [spec.intermediateSize, h]);
    m.set(`${p}.mlp.down_proj.weight`, [h, spec.intermediateSize]);
  }
  m.set('model.norm.weight', [h]);
  if (!spec.tieWordEmbeddings) m.set('lm_head.weight', [spec.vocabSize, h]);
  return m;
}
