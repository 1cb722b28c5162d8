/**
 * What the model manager shows before a download: each model's needs from its manifest, and whether this
 * device can run it, judged by the engine's own rule (chooseRuntime), so the manager and the engine agree.
 */
import type { AdapterReport, Device, ModelDtype } from '../../engine/types';
import type { ModelManifest } from '../../models/manifest';
import type { StoredModelSummary } from '../../models/storage';
import { chooseRuntime } from '../../engine/runtime-choice';
import { EngineError } from '../../engine/errors';
import { formatBytes } from '../../util/format';

export interface DtypeNeeds {
  dtype: ModelDtype;
  files: number;
  bytes: number;
  gpuBytes: number;
  maxTensorBytes: number;
}

export type Verdict =
  | { runnable: true; device: Device; dtype: ModelDtype; reasons: string[] }
  | { runnable: false; reason: string };

export interface CatalogEntry {
  id: string;
  label: string;
  contextLength: number;
  dtypes: DtypeNeeds[];
  verdict: Verdict;
}

export function dtypeNeeds(manifest: ModelManifest): DtypeNeeds[] {
  return (Object.keys(manifest.dtypes) as ModelDtype[]).map((dtype) => {
    const entry = manifest.dtypes[dtype]!;
    return {
      dtype,
      files: manifest.common.length + entry.files.length,
      bytes: entry.bytes,
      gpuBytes: entry.gpuBytes,
      maxTensorBytes: entry.maxTensorBytes,
    };
  });
}

export function assess(adapter: AdapterReport, manifest: ModelManifest, override: { device?: Device; dtype?: ModelDtype } = {}): Verdict {
  try {
    return { runnable: true, ...chooseRuntime(adapter, manifest, override) };
  } catch (e) {
    if (e instanceof EngineError) return { runnable: false, reason: e.message };
    throw e;
  }
}

export function catalogEntry(adapter: AdapterReport, manifest: ModelManifest, override: { device?: Device; dtype?: ModelDtype } = {}): CatalogEntry {
  return {
    id: manifest.id,
    label: manifest.label,
    contextLength: manifest.contextLength,
    dtypes: dtypeNeeds(manifest),
    verdict: assess(adapter, manifest, override),
  };
}

/**
 * Bytes still to download for a dtype, given what the store holds, and a plain sentence when the
 * browser's storage estimate says they won't fit (null when they fit or the estimate is unknown).
 */
export function spaceShortfall(
  entry: CatalogEntry,
  dtype: ModelDtype,
  stored: StoredModelSummary | undefined,
  available: number | null,
): { missingBytes: number; message: string | null } {
  const needs = entry.dtypes.find((d) => d.dtype === dtype);
  if (!needs) return { missingBytes: 0, message: null };
  const missingBytes = Math.max(0, needs.bytes - (stored?.dtypes[dtype]?.storedBytes ?? 0));
  if (available === null || missingBytes <= available) return { missingBytes, message: null };
  return {
    missingBytes,
    message: `${entry.label} (${dtype}) needs ${formatBytes(missingBytes)} more storage, but this browser allows this site only ${formatBytes(Math.max(0, available))}. Delete stored models or free disk space first.`,
  };
}
