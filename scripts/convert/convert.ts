/**
 * Converts a Hugging Face Llama / InternLM v1 checkpoint directory into the transformers.js layout:
 * config.json, generation_config.json, tokenizer.json, tokenizer_config.json, onnx/model_<dtype>.onnx with
 * external data chunks, and manifest.json. Streams tensor by tensor; writes into a sibling temp directory
 * and renames it into place at the end, so an interrupted run never leaves a complete-looking output.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ManifestFile, ModelManifest } from '../../src/lib/models/manifest.ts';
import { AGENT_FLAN_CHAT_TEMPLATE } from '../../src/lib/agent/chat-template.ts';
import { openCheckpoint } from './checkpoint.ts';
import type { DecoderSpec } from './config.ts';
import { normalizeConfig } from './config.ts';
import { decodeToFloat32 } from './dtype.ts';
import { ExternalDataWriter } from './external-data.ts';
import type { BuildDtype, GraphLayout, Q8Target } from './graph.ts';
import { buildDecoderGraph, onnxFileName } from './graph.ts';
import { buildManifest, fileEntry } from './manifest.ts';
import type { Initializer } from '../../src/lib/onnx/proto.ts';
import { encodeModel } from '../../src/lib/onnx/proto.ts';
import { generationConfigJson, sentencepieceToTokenizerJson, tokenizerConfigJson } from './tokenizer.ts';
import { concatRows, encodeWeight, planWeights } from './weights.ts';

export type ChatTemplateChoice = 'agent-flan' | 'none' | 'auto';

export interface ConvertOptions {
  checkpointDir: string;
  outDir: string;
  dtypes: BuildDtype[];
  /** 'auto': the Agent-FLAN template when the checkpoint names itself Agent-FLAN. */
  chatTemplate?: ChatTemplateChoice;
  /** Defaults to the output directory's name. */
  id?: string;
  label?: string;
  log?: (line: string) => void;
  /** The graph layout (graph.ts); default 'fused', the one the app's WebGPU decode needs. */
  graph?: GraphLayout;
  /** Projections with 8-bit instead of 4-bit codes in the quantised builds (graph.ts projectionBits). */
  q8?: Q8Target[];
  /** For tests: a smaller external-data chunk limit. */
  maxChunkBytes?: number;
}

function readJson(file: string): Record<string, unknown> {
  if (!existsSync(file)) throw new Error(`${file}: not found`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

function isAgentFlan(dir: string, cfg: Record<string, unknown>): boolean {
  const names = [basename(resolve(dir)), String(cfg._name_or_path ?? '')];
  return names.some((n) => /agent[-_ ]?flan/i.test(n));
}

/** The config.json transformers.js reads: plain Llama, plus where to find the external data chunks. */
function outputConfig(spec: DecoderSpec, chunks: Record<string, number>): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: spec.vocabSize,
    hidden_size: spec.hiddenSize,
    intermediate_size: spec.intermediateSize,
    num_hidden_layers: spec.numLayers,
    num_attention_heads: spec.numHeads,
    num_key_value_heads: spec.numKeyValueHeads,
    head_dim: spec.headDim,
    hidden_act: 'silu',
    max_position_embeddings: spec.contextLength,
    rms_norm_eps: spec.rmsNormEps,
    rope_theta: spec.ropeTheta,
    attention_bias: spec.attentionBias,
    tie_word_embeddings: spec.tieWordEmbeddings,
    bos_token_id: spec.bosTokenId,
    eos_token_id: spec.eosTokenId,
    pad_token_id: spec.padTokenId,
    use_cache: true,
    'transformers.js_config': { use_external_data_format: chunks },
  };
}

export async function convertCheckpoint(opts: ConvertOptions): Promise<ModelManifest> {
  const log = opts.log ?? (() => {});
  const src = resolve(opts.checkpointDir);
  const out = resolve(opts.outDir);
  if (opts.dtypes.length === 0) throw new Error('no dtypes requested');

  const cfg = readJson(join(src, 'config.json'));
  const spec = normalizeConfig(cfg, join(src, 'config.json'));
  const spPath = join(src, 'tokenizer.model');
  if (!existsSync(spPath)) throw new Error(`${spPath}: not found (the sentencepiece tokenizer is required)`);
  const entries = openCheckpoint(src, spec);
  const tokenizerJson = sentencepieceToTokenizerJson(new Uint8Array(readFileSync(spPath)), spPath);
  const choice = opts.chatTemplate ?? 'auto';
  const agentFlan = choice === 'agent-flan' || (choice === 'auto' && isAgentFlan(src, cfg));
  const generation = generationConfigJson({ agentFlan }) as { eos_token_id: number | number[] };
  const stopTokenIds = [generation.eos_token_id].flat();

  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'onnx'), { recursive: true });
  const writers = new Map(opts.dtypes.map((d) => [d, new ExternalDataWriter(join(tmp, 'onnx'), onnxFileName(d), opts.maxChunkBytes)]));
  try {
    const graphs = new Map(opts.dtypes.map((d) => [d, buildDecoderGraph(spec, d, opts.graph ?? 'fused', opts.q8)]));
    const inits = new Map<BuildDtype, Initializer[]>(opts.dtypes.map((d) => [d, []]));
    const stats = new Map(opts.dtypes.map((d) => [d, { weightBytes: 0, maxTensorBytes: 0 }]));
    const store = (d: BuildDtype, t: { name: string; type: Initializer['type']; dims: number[]; bytes: Uint8Array }) => {
      inits.get(d)!.push({ name: t.name, type: t.type, dims: t.dims, data: writers.get(d)!.append(t.bytes) });
      const s = stats.get(d)!;
      s.weightBytes += t.bytes.byteLength;
      s.maxTensorBytes = Math.max(s.maxTensorBytes, t.bytes.byteLength);
    };
    for (const [d, g] of graphs) for (const t of g.tables) store(d, t);

    const plan = planWeights(spec, opts.graph ?? 'fused');
    const started = Date.now();
    for (const [i, w] of plan.entries()) {
      const { values, shape } = concatRows(
        w.sources.map((name) => {
          const entry = entries.get(name)!;
          return { values: decodeToFloat32(entry.read(), entry.dtype), shape: entry.shape };
        }),
      );
      for (const [d, tensors] of encodeWeight(w, values, shape, opts.dtypes, opts.q8)) for (const t of tensors) store(d, t);
      if ((i + 1) % 20 === 0 || i + 1 === plan.length)
        log(`  ${i + 1}/${plan.length} tensors (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }

    const chunkCounts: Record<string, number> = {};
    const perDtype = [];
    for (const [d, g] of graphs) {
      const chunks = writers.get(d)!.finish();
      const onnxName = onnxFileName(d);
      chunkCounts[onnxName] = chunks.length;
      const bytes = encodeModel({
        graphName: `llama_decoder_${d}`,
        nodes: g.nodes,
        inputs: g.inputs,
        outputs: g.outputs,
        initializers: [...g.constants, ...inits.get(d)!],
        opsets: [
          { domain: '', version: 17 },
          { domain: 'com.microsoft', version: 1 },
        ],
        producer: 'agent-flan-web convert',
      });
      writeFileSync(join(tmp, 'onnx', onnxName), bytes);
      const files: ManifestFile[] = [fileEntry(`onnx/${onnxName}`, bytes), ...chunks.map((c) => ({ path: `onnx/${c.name}`, bytes: c.bytes, sha256: c.sha256 }))];
      perDtype.push({ dtype: d, files, ...stats.get(d)! });
    }

    const common: ManifestFile[] = [];
    const writeCommon = (name: string, value: unknown) => {
      const data = new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n');
      writeFileSync(join(tmp, name), data);
      common.push(fileEntry(name, data));
    };
    writeCommon('config.json', outputConfig(spec, chunkCounts));
    writeCommon('generation_config.json', generation);
    writeCommon('tokenizer.json', tokenizerJson);
    writeCommon('tokenizer_config.json', tokenizerConfigJson({ chatTemplate: agentFlan ? AGENT_FLAN_CHAT_TEMPLATE : null, modelMaxLength: spec.contextLength }));

    const id = opts.id ?? basename(out);
    const manifest = buildManifest({
      id,
      label: opts.label ?? id,
      spec,
      chatTemplate: agentFlan ? 'agent-flan' : null,
      stopTokenIds,
      common,
      dtypes: perDtype,
    });
    writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');

    const old = `${out}.old-${process.pid}`;
    if (existsSync(out)) renameSync(out, old);
    renameSync(tmp, out);
    rmSync(old, { recursive: true, force: true });
    return manifest;
  } catch (e) {
    for (const w of writers.values()) w.finish();
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
