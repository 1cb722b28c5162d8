import type { ModelManifest } from '../models/manifest';
import { EngineError } from './errors';

/** Accepts `value` only if it is a format-1 manifest for `modelId`; `url` names where it came from in the error. */
export function checkManifest(value: unknown, modelId: string, url: string): ModelManifest {
  const m = value as Partial<ModelManifest> | null;
  if (!m || m.format !== 1 || m.id !== modelId || !Array.isArray(m.common) || typeof m.dtypes !== 'object' || !m.contextLength) {
    throw new EngineError('file-corrupt', `${url} is not a model manifest for "${modelId}" (format 1). Re-run the model builder, which writes it.`);
  }
  return m as ModelManifest;
}
