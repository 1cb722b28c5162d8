/**
 * The app's Content-Security-Policy: only its own origin and the configured model origin. onnxruntime-web
 * compiles WebAssembly ('wasm-unsafe-eval'); its thread workers load its .mjs from our origin, so no blob:
 * (the engine turns off transformers.js's wasm cache, which would import that .mjs from a blob: URL).
 */

/**
 * The origin to allow for models, from VITE_MODEL_ORIGIN: null when it is relative (same origin as the app).
 * Throws with the offending value when it is neither a path nor an http(s) URL.
 */
export function modelOriginSource(modelOrigin: string): string | null {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(modelOrigin) && !modelOrigin.startsWith('//')) return null;
  let url: URL;
  try {
    url = new URL(modelOrigin, 'https://placeholder.invalid');
  } catch {
    throw new Error(`VITE_MODEL_ORIGIN=${JSON.stringify(modelOrigin)} is not a URL: use a path like "models/" or a URL like "https://models.example.org/agent-flan/".`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`VITE_MODEL_ORIGIN=${JSON.stringify(modelOrigin)} must be http(s) (got ${url.protocol}).`);
  }
  // A protocol-relative origin becomes a scheme-less host source, which CSP matches with the page's scheme.
  return modelOrigin.startsWith('//') ? url.host : url.origin;
}

/**
 * Origins of remote engine servers (TGI, OpenAI-compatible) the page may call, from VITE_REMOTE_ORIGINS
 * (comma-separated, e.g. `https://tgi.example.org,http://127.0.0.1:*`): without it the policy admits none, and a
 * remote engine configured in the Models view is refused with a message that says so.
 */
export function remoteOriginSources(value = process.env.VITE_REMOTE_ORIGINS ?? ''): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      if (!/^https?:\/\/[^/\s]+$/.test(s.replace(/\/+$/, ''))) throw new Error(`VITE_REMOTE_ORIGINS: ${JSON.stringify(s)} is not an http(s) origin like https://tgi.example.org or http://127.0.0.1:*`);
      return s.replace(/\/+$/, '');
    });
}

export interface CspOptions {
  modelOrigin: string;
  /** Remote engine origins to admit in connect-src; default: VITE_REMOTE_ORIGINS. */
  remoteOrigins?: string[];
  /** frame-ancestors only works in a header, not in a meta tag. */
  forHeader: boolean;
}

export function contentSecurityPolicy({ modelOrigin, forHeader, remoteOrigins = remoteOriginSources() }: CspOptions): string {
  const models = modelOriginSource(modelOrigin);
  const connect = ["'self'", ...(models ? [models] : []), ...remoteOrigins];
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", "'wasm-unsafe-eval'"]],
    ['worker-src', ["'self'"]],
    ['connect-src', connect],
    ['img-src', ["'self'", 'data:']],
    ['style-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'self'"]],
  ];
  if (forHeader) directives.push(['frame-ancestors', ["'self'"]]);
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}
