/**
 * The app's Content-Security-Policy, and the headers every host must send with it. Only its own origin and the
 * configured model origin. onnxruntime-web compiles WebAssembly ('wasm-unsafe-eval'); its thread workers load its
 * .mjs from our origin, so no blob: (the engine turns off transformers.js's wasm cache, which would import that .mjs
 * from a blob: URL).
 *
 * A worker does not inherit the page's policy: it runs under the CSP of its own script's response. So the headers
 * must come from the server (a meta tag reaches only the document, and the service worker only once it controls
 * the page), and each worker script gets a policy of its own: the sandbox worker, where model-written code runs,
 * may load its own scripts and wasm from the origin and nothing else (no other origin, no nested workers).
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
 * Origins of remote engine servers (TGI, OpenAI-compatible) every page may call, from VITE_REMOTE_ORIGINS
 * (comma-separated, e.g. `https://tgi.example.org,http://127.0.0.1:*`): the default of `connectSources`. Without it
 * the built policy admits none; our servers and the service worker add the one origin a page is opened with
 * (src/lib/engine/remote/configured-origin.ts), which a static host cannot do on a first visit.
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
  /** frame-ancestors only works in a header, not in a meta tag. */
  forHeader: boolean;
  /** More sources the page and the engine worker may connect to (CSP source expressions, e.g. a remote engine's origin). */
  connectSources?: string[];
}

type Directives = [string, string[]][];

const serialize = (directives: Directives) => directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');

function connectSources({ modelOrigin, connectSources: extra = remoteOriginSources() }: CspOptions): string[] {
  const models = modelOriginSource(modelOrigin);
  return [...new Set(["'self'", ...(models ? [models] : []), ...extra])];
}

/** The page's policy (also the service worker's, and the default for every other file). */
export function contentSecurityPolicy(options: CspOptions): string {
  const directives: Directives = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", "'wasm-unsafe-eval'"]],
    ['worker-src', ["'self'"]],
    ['connect-src', connectSources(options)],
    ['img-src', ["'self'", 'data:']],
    ['style-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'self'"]],
  ];
  if (options.forHeader) directives.push(['frame-ancestors', ["'self'"]]);
  return serialize(directives);
}

/** The model worker and onnxruntime's thread workers: its scripts and wasm, the model files, nothing to render. */
export function engineWorkerPolicy(options: Omit<CspOptions, 'forHeader'>): string {
  return serialize([
    ['default-src', ["'none'"]],
    ['script-src', ["'self'", "'wasm-unsafe-eval'"]],
    ['worker-src', ["'self'"]],
    ['connect-src', connectSources({ ...options, forHeader: true })],
  ]);
}

/**
 * The sandbox worker: its own scripts and wasm binaries from the origin ('self' covers the wasm fetches of sql.js and
 * QuickJS), no other origin, no nested workers, nothing else.
 */
export function sandboxWorkerPolicy(): string {
  return serialize([
    ['default-src', ["'none'"]],
    ['script-src', ["'self'", "'wasm-unsafe-eval'"]],
    ['worker-src', ["'none'"]],
    ['connect-src', ["'self'"]],
  ]);
}

/** Cross-origin isolation (onnxruntime's wasm threads need SharedArrayBuffer), sent with every file. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export type WorkerRole = 'sandbox' | 'engine';

/** Which built file is which worker's script, by the names Vite and onnxruntime-web give them. */
export function workerRole(path: string): WorkerRole | null {
  const name = path.split('/').at(-1) ?? '';
  if (/^sandbox\.worker-[\w-]+\.js$/.test(name)) return 'sandbox';
  if (/^llm\.worker-[\w-]+\.js$/.test(name) || /^ort-wasm[\w.-]*\.mjs$/.test(name)) return 'engine';
  return null;
}

/** Written by the build next to index.html; scripts/lib/static-server.ts serves every file with these headers. */
export const SECURITY_HEADERS_FILE = 'security-headers.json';

/**
 * What the build writes to `security-headers.json` (read by our servers) and `_headers` (Netlify, Cloudflare Pages):
 * the headers for every file, and the worker scripts' own Content-Security-Policy.
 */
export interface SecurityHeaders {
  all: Record<string, string>;
  /** Paths relative to the app's root, each with the headers that replace or add to `all`'s. */
  files: Record<string, Record<string, string>>;
}

export function securityHeaders(files: string[], options: Omit<CspOptions, 'forHeader'>): SecurityHeaders {
  const policies: Record<WorkerRole, string> = { sandbox: sandboxWorkerPolicy(), engine: engineWorkerPolicy(options) };
  const workers = files.flatMap((f) => {
    const role = workerRole(f);
    return role ? [[f, { 'Content-Security-Policy': policies[role] }] as const] : [];
  });
  return {
    all: { ...ISOLATION_HEADERS, 'Content-Security-Policy': contentSecurityPolicy({ ...options, forHeader: true }) },
    files: Object.fromEntries(workers.sort(([a], [b]) => a.localeCompare(b))),
  };
}

/**
 * Netlify's and Cloudflare Pages' `_headers` file, for an app served at the site's root. Both add the headers of every
 * rule a path matches, so a worker script gets the page's CSP and its own: a response with two policies must
 * satisfy both, and each worker policy is already within the page's.
 */
export function netlifyHeadersFile(table: SecurityHeaders): string {
  const block = (path: string, headers: Record<string, string>) =>
    [path, ...Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`)].join('\n');
  return [block('/*', table.all), ...Object.entries(table.files).map(([f, headers]) => block(`/${f}`, headers))].join('\n\n') + '\n';
}
