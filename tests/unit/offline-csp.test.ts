import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { startStaticServer } from '../../scripts/lib/static-server';
import {
  SECURITY_HEADERS_FILE,
  contentSecurityPolicy,
  engineWorkerPolicy,
  modelOriginSource,
  netlifyHeadersFile,
  sandboxWorkerPolicy,
  securityHeaders,
  workerRole,
  type SecurityHeaders,
} from '../../scripts/lib/csp';

const directive = (policy: string, name: string) =>
  policy.split('; ').find((d) => d.startsWith(`${name} `))?.slice(name.length + 1);

describe('Content-Security-Policy', () => {
  test('same-origin models: everything is self, and wasm may compile', () => {
    const policy = contentSecurityPolicy({ modelOrigin: 'models/', forHeader: false });
    expect(directive(policy, 'default-src')).toBe("'self'");
    expect(directive(policy, 'connect-src')).toBe("'self'");
    expect(directive(policy, 'script-src')).toBe("'self' 'wasm-unsafe-eval'");
    expect(directive(policy, 'worker-src')).toBe("'self'");
    expect(directive(policy, 'object-src')).toBe("'none'");
    expect(policy).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*/);
  });

  test('an absolute model origin is allowed for connections only, as an origin', () => {
    const policy = contentSecurityPolicy({ modelOrigin: 'https://models.example.org:8443/agent-flan/', forHeader: false });
    expect(directive(policy, 'connect-src')).toBe("'self' https://models.example.org:8443");
    expect(directive(policy, 'script-src')).toBe("'self' 'wasm-unsafe-eval'");
  });

  test('frame-ancestors only in the header form (a meta tag cannot carry it)', () => {
    expect(directive(contentSecurityPolicy({ modelOrigin: 'models/', forHeader: false }), 'frame-ancestors')).toBeUndefined();
    expect(directive(contentSecurityPolicy({ modelOrigin: 'models/', forHeader: true }), 'frame-ancestors')).toBe("'self'");
  });

  test('model origin forms', () => {
    expect(modelOriginSource('./models/')).toBeNull();
    expect(modelOriginSource('/shared/models/')).toBeNull();
    expect(modelOriginSource('http://127.0.0.1:9000/m/')).toBe('http://127.0.0.1:9000');
    expect(modelOriginSource('//cdn.example/m/')).toBe('cdn.example');
    expect(() => modelOriginSource('ftp://cdn.example/m/')).toThrow(/VITE_MODEL_ORIGIN="ftp:\/\/cdn.example\/m\/" must be http\(s\)/);
  });
});

/** What a server sends with one file: the headers of every file, then the file's own. */
const headersFor = (table: SecurityHeaders, path: string) => ({ ...table.all, ...table.files[path] });

describe('the headers of every file, and the workers’ own policies', () => {
  const built = ['index.html', 'sw.js', 'assets/index--ZVpkX28.js', 'assets/sandbox.worker-2Z9yUGG5.js', 'assets/llm.worker-PSqjsbCO.js', 'assets/ort-wasm-simd-threaded.asyncify-DXIbolS2.mjs', 'assets/sql-wasm-browser-CXIAVl5-.wasm'];
  const table = securityHeaders(built, { modelOrigin: 'https://models.example.org/af/' });

  test('worker scripts are told apart by name; other files are not workers', () => {
    expect(built.map(workerRole)).toEqual([null, null, null, 'sandbox', 'engine', 'engine', null]);
    expect(Object.keys(table.files)).toEqual(['assets/llm.worker-PSqjsbCO.js', 'assets/ort-wasm-simd-threaded.asyncify-DXIbolS2.mjs', 'assets/sandbox.worker-2Z9yUGG5.js']);
  });

  test('the sandbox worker may reach its own origin only, and start no worker', () => {
    const policy = headersFor(table, 'assets/sandbox.worker-2Z9yUGG5.js')['Content-Security-Policy'];
    expect(directive(policy, 'connect-src')).toBe("'self'");
    expect(directive(policy, 'default-src')).toBe("'none'");
    expect(directive(policy, 'worker-src')).toBe("'none'");
    expect(policy).not.toContain('models.example.org');
  });

  test('the engine worker reaches the model origin; the page policy and isolation go with every file', () => {
    expect(directive(headersFor(table, 'assets/llm.worker-PSqjsbCO.js')['Content-Security-Policy'], 'connect-src')).toBe("'self' https://models.example.org");
    const page = headersFor(table, 'index.html');
    expect(page['Content-Security-Policy']).toBe(contentSecurityPolicy({ modelOrigin: 'https://models.example.org/af/', forHeader: true }));
    expect(page['Cross-Origin-Embedder-Policy']).toBe('require-corp');
    expect(headersFor(table, 'assets/sandbox.worker-2Z9yUGG5.js')['Cross-Origin-Opener-Policy']).toBe('same-origin');
  });

  test('more connect sources (a remote engine) reach the page and the engine worker, never the sandbox', () => {
    const extended = securityHeaders(built, { modelOrigin: 'models/', connectSources: ['https://engine.example:8443'] });
    expect(directive(headersFor(extended, 'index.html')['Content-Security-Policy'], 'connect-src')).toBe("'self' https://engine.example:8443");
    expect(directive(headersFor(extended, 'assets/llm.worker-PSqjsbCO.js')['Content-Security-Policy'], 'connect-src')).toBe("'self' https://engine.example:8443");
    expect(directive(headersFor(extended, 'assets/sandbox.worker-2Z9yUGG5.js')['Content-Security-Policy'], 'connect-src')).toBe("'self'");
  });

  test('_headers for Netlify and Cloudflare Pages: a catch-all with everything, then each worker’s policy', () => {
    const text = netlifyHeadersFile(table);
    const blocks = text.trim().split('\n\n');
    expect(blocks[0].split('\n')[0]).toBe('/*');
    expect(blocks[0]).toContain(`  Content-Security-Policy: ${table.all['Content-Security-Policy']}`);
    expect(blocks.slice(1).map((b) => b.split('\n')[0])).toEqual(Object.keys(table.files).map((f) => `/${f}`));
    expect(blocks[3]).toBe(`/assets/sandbox.worker-2Z9yUGG5.js\n  Content-Security-Policy: ${sandboxWorkerPolicy()}`);
  });
});

test('the README’s host examples carry the policies the build sends', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  expect(readme).toContain(contentSecurityPolicy({ modelOrigin: 'models/', forHeader: true }));
  expect(readme).toContain(sandboxWorkerPolicy());
  expect(readme).toContain(engineWorkerPolicy({ modelOrigin: 'models/' }));
});

test('the static server sends each file the headers the build wrote for it', async () => {
  const root = mkdtempSync(join(tmpdir(), 'afw-headers-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  writeFileSync(join(root, 'assets/sandbox.worker-abc.js'), '');
  const table = securityHeaders(['index.html', 'assets/sandbox.worker-abc.js'], { modelOrigin: 'models/' });
  writeFileSync(join(root, SECURITY_HEADERS_FILE), JSON.stringify(table));
  const server = await startStaticServer({ root });
  try {
    const page = await fetch(server.url);
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy({ modelOrigin: 'models/', forHeader: true }));
    expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    const worker = await fetch(`${server.url}assets/sandbox.worker-abc.js`);
    expect(worker.headers.get('content-security-policy')).toBe(sandboxWorkerPolicy());
    expect(worker.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  } finally {
    await server.close();
  }
});
