/** The static server's extra mounted folders (how bench:7b-browser serves a model cache beside the built app). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { startStaticServer } from '../../scripts/lib/static-server';

/** A raw GET (fetch would normalise `..` away before it reaches the server). */
function get(url: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((ok, fail) => {
    request({ hostname, port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
    })
      .on('error', fail)
      .end();
  });
}

test('a mounted folder is served under its prefix, with ranges, and nothing outside it is', async () => {
  const root = mkdtempSync(join(tmpdir(), 'mount-root-'));
  const models = mkdtempSync(join(tmpdir(), 'mount-models-'));
  writeFileSync(join(root, 'index.html'), '<p>app</p>');
  writeFileSync(join(root, 'secret.txt'), 'root file');
  mkdirSync(join(models, 'm'));
  writeFileSync(join(models, 'm', 'manifest.json'), '{"id":"m"}');
  const server = await startStaticServer({ root, mounts: { '/bench-models/': models } });
  try {
    expect(await get(server.url, '/bench-models/m/manifest.json')).toEqual({ status: 200, body: '{"id":"m"}' });
    expect(await get(server.url, '/bench-models/m/manifest.json', { Range: 'bytes=1-4' })).toEqual({ status: 206, body: '"id"' });
    // An encoded ../ reaches the server intact and points at the root folder's file beside the mount: refused.
    expect((await get(server.url, `/bench-models/..%2f${root.split('/').pop()}%2fsecret.txt`)).status).toBe(403);
    expect((await get(server.url, '/bench-models/missing.json')).status).toBe(404);
    expect((await get(server.url, '/index.html')).body).toBe('<p>app</p>');
  } finally {
    await server.close();
  }
});
