/** The builds a model directory can hold (scripts/convert/graph.ts): 4-bit with fp16 or fp32 activations, or fp32. */
export type ModelDtype = 'q4f16' | 'q4' | 'fp32';

/**
 * What the model builder writes as `<model-dir>/manifest.json` and the app reads before downloading:
 * every file with its size and SHA-256 (downloads are verified against it), and per-dtype needs.
 */
export interface ManifestFile {
  /** Relative to the model directory, e.g. `onnx/model_q4.onnx_data_1`. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface DtypeEntry {
  /** The files only this dtype needs (its .onnx and external data chunks). */
  files: ManifestFile[];
  /** Download size: this dtype's files plus the common files. */
  bytes: number;
  /** Estimated GPU memory at full context: weights plus KV cache plus activations. */
  gpuBytes: number;
  /** Largest single initializer, to check against the adapter's maxBufferSize / maxStorageBufferBindingSize. */
  maxTensorBytes: number;
}

export interface ModelManifest {
  format: 1;
  id: string;
  label: string;
  architecture: 'llama';
  contextLength: number;
  vocabSize: number;
  numLayers: number;
  hiddenSize: number;
  numKeyValueHeads: number;
  headDim: number;
  /** 'agent-flan' when tokenizer_config.json carries the Agent-FLAN chat template. */
  chatTemplate: 'agent-flan' | null;
  stopTokenIds: number[];
  /** config.json, generation_config.json, tokenizer.json, tokenizer_config.json. */
  common: ManifestFile[];
  dtypes: Partial<Record<ModelDtype, DtypeEntry>>;
}

/** Prompt tokens per forward pass in the engine; the builder's GPU estimate assumes the same. */
export const PREFILL_CHUNK_TOKENS = 512;

/** `<models-origin>/index.json`: the models a deployment serves, listed for the model picker. */
export interface ModelIndex {
  models: { id: string; label: string }[];
}
