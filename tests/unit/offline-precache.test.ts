import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { listFiles, localModelDir, precacheList, precacheVersion } from '../../scripts/lib/precache';

describe('precache list', () => {
  const built = ['index.html', 'sw.js', 'assets/index-a.js', 'assets/index-a.js.map', 'assets/ort.wasm', 'models/index.json', 'models/m/onnx/model_q4.onnx', 'weights/m/manifest.json', 'probe.txt'];

  test('the shell and runtime, without the service worker, source maps or models', () => {
    expect(precacheList(built, 'models/')).toEqual(['assets/index-a.js', 'assets/ort.wasm', 'index.html', 'probe.txt', 'weights/m/manifest.json']);
  });

  test('a relative model origin elsewhere in the build is left out too', () => {
    expect(precacheList(built, './weights/')).toEqual(['assets/index-a.js', 'assets/ort.wasm', 'index.html', 'probe.txt']);
  });

  test('model directory inside the build', () => {
    expect(localModelDir('models/')).toBe('models/');
    expect(localModelDir('./models')).toBe('models/');
    expect(localModelDir('../models/')).toBeNull();
    expect(localModelDir('/models/')).toBeNull();
    expect(localModelDir('https://cdn.example/models/')).toBeNull();
  });
});

describe('precache version', () => {
  test('lists nested files with / separators; the version changes with any content', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afw-precache-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<p>one</p>');
    writeFileSync(join(dir, 'assets', 'a.js'), 'a');
    const files = (await listFiles(dir)).sort();
    expect(files).toEqual(['assets/a.js', 'index.html']);
    const first = await precacheVersion(dir, files);
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(await precacheVersion(dir, files)).toBe(first);
    writeFileSync(join(dir, 'index.html'), '<p>two</p>');
    expect(await precacheVersion(dir, files)).not.toBe(first);
    rmSync(dir, { recursive: true });
  });
});
