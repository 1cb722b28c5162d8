import { ModelFileNotVerifiedError } from './errors';
import { isVerified, type FileStore } from './file-store';
import type { ManifestFile, ModelManifest } from './manifest';
import { fileUrl, listedFiles } from './manifest-files';

/**
 * Serves verified files from a FileStore to transformers.js 4.3.1 through its custom cache hook.
 *
 * How transformers.js asks (src/utils/hub.js, cache.js): for each file it calls `customCache.match(key)`
 * with a string, first `localPath` = `${env.localModelPath}${modelId}/${file}`, then the remote URL
 * `${env.remoteHost}` + `env.remotePathTemplate` (with `{model}` replaced by the model id) + `/${file}`.
 * A truthy Response is used as the file: it reads the body (sized by its content-length header), and
 * calls `put` only for files it fetched itself. Model files are named `onnx/model${suffix}.onnx`
 * (suffix `_q4`, `_q4f16`, '' for fp32) and `onnx/model${suffix}.onnx_data`, `..._data_1`, ... when
 * config.json's `transformers.js_config.use_external_data_format` says how many chunks there are.
 * The onnxruntime wasm loader also calls match/put (with the wasm URL); those are not ours: match
 * returns undefined and put does nothing, so the service worker is what caches the runtime.
 * Don't use ModelRegistry.is_cached_files / get_available_dtypes to check a stored model offline: they
 * also probe optional files (preprocessor_config.json) over the network. Use listStoredModels.
 *
 * Wiring in the model worker (see `useModelFileCache`):
 *   const cache = createModelFileCache(store, [{ baseUrl: modelsBaseUrl + manifest.id, manifest }]);
 *   useModelFileCache(env, { modelsBaseUrl, cache });        // modelsBaseUrl absolute, ending in '/'
 *   await ensureModelFiles({ baseUrl: modelsBaseUrl + manifest.id, manifest, dtype, store, ... });
 *   await AutoModelForCausalLM.from_pretrained(manifest.id, { dtype, device });   // served from the store
 */

export interface ServedModel {
  /** The model directory's URL, as given to ensureModelFiles. Must be absolute. */
  baseUrl: string;
  manifest: ModelManifest;
}

/** The fetch signature transformers.js's `env.fetch` has. */
export type EnvFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface ModelFileCache {
  match(request: string | URL | Request): Promise<Response | undefined>;
  /** transformers.js stores what it fetched itself; model files only ever come from ensureModelFiles. */
  put(request: string | URL | Request, response: Response): Promise<void>;
  /** Wraps a fetch so that a model file this cache manages can never be fetched around the store. */
  guardFetch(fetch: EnvFetch): EnvFetch;
}

export function createModelFileCache(store: FileStore, models: ServedModel[]): ModelFileCache {
  const files = new Map<string, { model: string; file: ManifestFile }>();
  for (const { baseUrl, manifest } of models) {
    for (const file of listedFiles(manifest)) {
      const key = normalize(fileUrl(baseUrl, file.path));
      if (key === null) throw new Error(`The base URL of model ${manifest.id} must be absolute, got "${baseUrl}".`);
      files.set(key, { model: manifest.id, file });
    }
  }
  const lookup = (request: string | URL | Request) => {
    const key = normalize(requestUrl(request));
    return key === null ? undefined : files.get(key);
  };

  return {
    async match(request) {
      const entry = lookup(request);
      if (!entry) return undefined;
      const stored = await store.stat(entry.model, entry.file.path);
      if (!isVerified(stored, entry.file)) return undefined;
      const blob = await store.read(entry.model, entry.file.path);
      if (!blob) return undefined;
      // A Blob body streams from storage; content-length lets transformers.js size its buffer once.
      return new Response(blob, { status: 200, headers: { 'content-length': String(blob.size) } });
    },
    async put() {},
    guardFetch(fetch) {
      return async (input, init) => {
        const entry = lookup(input);
        if (entry) throw new ModelFileNotVerifiedError(requestUrl(input));
        return fetch(input, init);
      };
    },
  };
}

/** The transformers.js `env` settings this adapter needs (a structural subset of its `env`). */
export interface TransformersEnv {
  allowLocalModels: boolean;
  allowRemoteModels: boolean;
  remoteHost: string;
  remotePathTemplate: string;
  useBrowserCache: boolean;
  useCustomCache: boolean;
  customCache: unknown;
  fetch: EnvFetch;
}

/**
 * Points transformers.js at the models origin and makes it read model files only from the store:
 * `${modelsBaseUrl}${modelId}/${file}` is both the URL the downloader fetched and the key transformers.js
 * looks up. The model id must be a valid Hub-style id (letters, digits, `-`, `_`, `.`; no `--` or `..`),
 * or transformers.js refuses it before asking the cache.
 */
export function useModelFileCache(env: TransformersEnv, options: { modelsBaseUrl: string; cache: ModelFileCache }): void {
  if (!/^https?:\/\//.test(options.modelsBaseUrl)) {
    throw new Error(`modelsBaseUrl must be an absolute http(s) URL, got "${options.modelsBaseUrl}".`);
  }
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.remoteHost = options.modelsBaseUrl.endsWith('/') ? options.modelsBaseUrl : `${options.modelsBaseUrl}/`;
  env.remotePathTemplate = '{model}/';
  env.useBrowserCache = false;
  env.useCustomCache = true;
  env.customCache = options.cache;
  env.fetch = options.cache.guardFetch(env.fetch);
}

/** Absolute URL string, resolving a path against the page or worker location; null when it cannot be resolved. */
function normalize(url: string): string | null {
  try {
    return new URL(url, globalThis.location?.href).href;
  } catch {
    return null;
  }
}

function requestUrl(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}
