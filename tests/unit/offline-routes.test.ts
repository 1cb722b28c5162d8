import { describe, expect, test } from 'vitest';
import { META_CACHE, routeRequest, shellCacheName, shellHeaders, staleCaches } from '../../src/sw/routes';

const scope = 'https://host.example/demo/';
const config = { precache: ['index.html', 'assets/index-abc.js', 'assets/ort-wasm-simd-threaded.asyncify-x.wasm'], modelBase: 'models/' };
const get = (url: string, mode: RequestMode = 'cors') => routeRequest({ url, method: 'GET', mode }, scope, config);

describe('service worker routing', () => {
  test('precached files under the scope are served from the shell cache', () => {
    expect(get('https://host.example/demo/assets/index-abc.js')).toEqual({ kind: 'shell', url: 'https://host.example/demo/assets/index-abc.js' });
    expect(get('https://host.example/demo/assets/ort-wasm-simd-threaded.asyncify-x.wasm').kind).toBe('shell');
  });

  test('a navigation to the base path, with or without index.html and a query, gets the cached page', () => {
    for (const url of ['https://host.example/demo/', 'https://host.example/demo/index.html', 'https://host.example/demo/?booth&model=x']) {
      expect(get(url, 'navigate')).toEqual({ kind: 'shell', url: 'https://host.example/demo/index.html' });
    }
  });

  test('files not in the list, other paths and other origins go to the network', () => {
    expect(get('https://host.example/demo/assets/other.js').kind).toBe('network');
    expect(get('https://host.example/assets/index-abc.js').kind).toBe('network');
    expect(get('https://other.example/demo/assets/index-abc.js').kind).toBe('network');
    expect(get('https://host.example/demo/assets/index-abc.js?v=2').kind).toBe('network');
    expect(routeRequest({ url: 'https://host.example/demo/index.html', method: 'POST', mode: 'navigate' }, scope, config).kind).toBe('network');
  });

  test('model files are never cached; the model list and manifests are network-first', () => {
    expect(get('https://host.example/demo/models/index.json').kind).toBe('model-meta');
    expect(get('https://host.example/demo/models/agent-flan-7b/manifest.json').kind).toBe('model-meta');
    expect(get('https://host.example/demo/models/agent-flan-7b/onnx/model_q4.onnx_data').kind).toBe('network');
    expect(get('https://host.example/demo/models/agent-flan-7b/tokenizer.json').kind).toBe('network');
    expect(get('https://host.example/demo/models/agent-flan-7b/sub/manifest.json').kind).toBe('network');
  });

  test('an absolute model origin is matched on its own origin and path', () => {
    const remote = { ...config, modelBase: 'https://cdn.example/af/' };
    const route = (url: string) => routeRequest({ url, method: 'GET', mode: 'cors' }, scope, remote).kind;
    expect(route('https://cdn.example/af/index.json')).toBe('model-meta');
    expect(route('https://cdn.example/af/m/manifest.json')).toBe('model-meta');
    expect(route('https://cdn.example/other/m/manifest.json')).toBe('network');
    expect(route('https://host.example/demo/models/index.json')).toBe('network');
  });
});

describe('headers of cached responses', () => {
  const table = {
    all: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Content-Security-Policy': "default-src 'self'" },
    files: { 'assets/sandbox.worker-x1.js': { 'Content-Security-Policy': "default-src 'none'; connect-src 'self'" } },
  };

  test('adds COOP, COEP and the CSP when the stored response lacks them', () => {
    const h = shellHeaders(new Headers({ 'Content-Type': 'text/html' }), 'index.html', table);
    expect(h.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(h.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(h.get('Content-Security-Policy')).toBe("default-src 'self'");
    expect(h.get('Content-Type')).toBe('text/html');
  });

  test("keeps what the server sent", () => {
    const stored = new Headers({ 'Cross-Origin-Embedder-Policy': 'credentialless', 'Content-Security-Policy': "default-src 'none'" });
    const h = shellHeaders(stored, 'index.html', table);
    expect(h.get('Cross-Origin-Embedder-Policy')).toBe('credentialless');
    expect(h.get('Content-Security-Policy')).toBe("default-src 'none'");
  });

  test("a worker script gets its own policy even when the server sent the page's", () => {
    const stored = new Headers({ 'Content-Security-Policy': "default-src 'self'" });
    const h = shellHeaders(stored, 'assets/sandbox.worker-x1.js', table);
    expect(h.get('Content-Security-Policy')).toBe("default-src 'none'; connect-src 'self'");
    expect(h.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
  });
});

test('on activate, only this app’s outdated caches are deleted', () => {
  const names = [shellCacheName('old1'), shellCacheName('new2'), META_CACHE, 'transformers-cache', 'someone-else'];
  expect(staleCaches(names, 'new2')).toEqual(['agent-flan-web-shell-old1']);
});
