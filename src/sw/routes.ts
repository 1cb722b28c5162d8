/**
 * What the service worker does with each request, as pure functions (unit-tested without a browser).
 * The app shell and onnxruntime's wasm/mjs are served cache-first from a versioned precache; the model list and
 * model manifests are network-first with a cache fallback; everything else, model files above all, is left to
 * the network (model weights are stored in OPFS by the app's own downloader, never in Cache Storage).
 */

/** Written into sw.js at build time. */
export interface ServiceWorkerConfig {
  /** Hash of the precached files' names and contents: names the shell cache. */
  version: string;
  /** Files to precache, relative to the service worker's scope (the app's base path). */
  precache: string[];
  /** The model origin as configured at build time (VITE_MODEL_ORIGIN): absolute, or relative to the scope. */
  modelBase: string;
  /**
   * Headers for responses served from the precache (scripts/lib/csp.ts): `all` for every file (the page's CSP: the
   * meta tag can't carry frame-ancestors), `files` per path relative to the scope (each worker script's own CSP).
   */
  headers: FileHeaders;
}

export interface FileHeaders {
  all: Record<string, string>;
  files: Record<string, Record<string, string>>;
}

export const CACHE_PREFIX = 'agent-flan-web-';
export const META_CACHE = `${CACHE_PREFIX}model-meta`;
export const shellCacheName = (version: string) => `${CACHE_PREFIX}shell-${version}`;

export type Route =
  | { kind: 'shell'; url: string }
  | { kind: 'model-meta' }
  | { kind: 'network' };

export interface RequestFacts {
  url: string;
  method: string;
  mode: RequestMode;
}

export function routeRequest(request: RequestFacts, scope: string, config: Pick<ServiceWorkerConfig, 'precache' | 'modelBase'>): Route {
  if (request.method !== 'GET') return { kind: 'network' };
  const url = new URL(request.url);
  const scopeUrl = new URL(scope);
  if (url.origin === scopeUrl.origin && url.pathname.startsWith(scopeUrl.pathname)) {
    const path = url.pathname.slice(scopeUrl.pathname.length);
    // The page itself, whatever its query (?booth, ?model=...).
    if (request.mode === 'navigate' && (path === '' || path === 'index.html')) {
      return { kind: 'shell', url: new URL('index.html', scopeUrl).href };
    }
    if (url.search === '' && config.precache.includes(path)) return { kind: 'shell', url: url.href };
  }
  const modelBase = new URL(config.modelBase, scopeUrl);
  if (url.search === '' && url.origin === modelBase.origin && url.pathname.startsWith(modelBase.pathname)) {
    const rest = url.pathname.slice(modelBase.pathname.length);
    if (rest === 'index.json' || /^[^/]+\/manifest\.json$/.test(rest)) return { kind: 'model-meta' };
  }
  return { kind: 'network' };
}

/**
 * Headers for a response served from the precache, `path` relative to the scope. Cross-origin isolation
 * (onnxruntime's threads need SharedArrayBuffer) depends on COOP/COEP on the document and the worker scripts: the
 * cached copies carry what the server sent, and the build's headers are added where the server sent none, so the
 * page stays isolated offline. A worker script always gets its own policy: a host that sent the page's policy for
 * every file would otherwise leave the sandbox worker the page's connections.
 */
export function shellHeaders(stored: Headers, path: string, table: FileHeaders): Headers {
  const headers = new Headers(stored);
  for (const [name, value] of Object.entries(table.all)) if (!headers.has(name)) headers.set(name, value);
  for (const [name, value] of Object.entries(table.files[path] ?? {})) headers.set(name, value);
  return headers;
}

/** Caches this service worker owns and no longer needs (other apps' caches on the origin are left alone). */
export function staleCaches(names: string[], version: string): string[] {
  const keep = new Set([shellCacheName(version), META_CACHE]);
  return names.filter((name) => name.startsWith(CACHE_PREFIX) && !keep.has(name));
}
