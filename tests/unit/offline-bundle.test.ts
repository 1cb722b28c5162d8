import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync as makeTemp, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { BundleError, README_FIRST_LINE, checkModel, checkOutDir, copyModel, manifestFiles, parseManifest, selectDtypes } from '../../scripts/lib/offline-bundle';
import type { ManifestFile, ModelManifest } from '../../src/lib/models/manifest';

const made: string[] = [];
function mkdtempSync(prefix: string): string {
  const dir = makeTemp(prefix);
  made.push(dir);
  return dir;
}
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A small model directory of our own making: two common files and one file per dtype. */
function makeModelDir(): { dir: string; manifest: ModelManifest } {
  const dir = mkdtempSync(join(tmpdir(), 'afw-bundle-model-'));
  mkdirSync(join(dir, 'onnx'));
  const file = (path: string, text: string): ManifestFile => {
    writeFileSync(join(dir, path), text);
    return { path, bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') };
  };
  const common = [file('config.json', '{"model_type":"llama"}'), file('tokenizer.json', '{"model":{}}')];
  const q4 = file('onnx/model_q4.onnx', 'q4 weights');
  const fp32 = file('onnx/model.onnx', 'fp32 weights, larger');
  const dtype = (f: ManifestFile) => ({ files: [f], bytes: f.bytes + 34, gpuBytes: 1000, maxTensorBytes: 10 });
  const manifest = {
    format: 1, id: 'tiny-test', label: 'Tiny test', architecture: 'llama', contextLength: 64, vocabSize: 32,
    numLayers: 1, hiddenSize: 8, numKeyValueHeads: 1, headDim: 8, chatTemplate: null, stopTokenIds: [2],
    common, dtypes: { q4: dtype(q4), fp32: dtype(fp32) },
  } satisfies ModelManifest;
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return { dir, manifest };
}

describe('manifest checks', () => {
  test('bad manifests are refused with the reason', () => {
    expect(() => parseManifest('{', 'm.json')).toThrow(/m.json is not JSON/);
    expect(() => parseManifest('{"format":2}', 'm.json')).toThrow(/unknown manifest format 2/);
    expect(() => parseManifest('{"format":1,"id":"../x"}', 'm.json')).toThrow(/not a plain directory name/);
    expect(() => parseManifest('{"format":1,"id":"x","common":[],"dtypes":{}}', 'm.json')).toThrow(/no dtypes/);
  });

  test('dtype selection keeps only what was asked and names what is missing', () => {
    const { manifest } = makeModelDir();
    expect(Object.keys(selectDtypes(manifest, ['q4']).dtypes)).toEqual(['q4']);
    expect(selectDtypes(manifest, [])).toBe(manifest);
    expect(() => selectDtypes(manifest, ['q4f16', 'q4'])).toThrow('--dtype q4f16: not in this model (it has q4, fp32).');
  });

  test('file paths may not leave the model directory', () => {
    const { manifest } = makeModelDir();
    const evil = { ...manifest, common: [{ path: '../../etc/passwd', bytes: 1, sha256: '' }] };
    expect(() => manifestFiles(evil)).toThrow(BundleError);
  });
});

describe('model directory against its manifest', () => {
  test('a good directory passes with SHA-256 verification', async () => {
    const { dir } = makeModelDir();
    const model = await checkModel({ modelDir: dir, dtypes: [], verify: true });
    expect(model.files.map((f) => f.path).sort()).toEqual(['config.json', 'onnx/model.onnx', 'onnx/model_q4.onnx', 'tokenizer.json']);
    expect(model.bytes).toBe(22 + 12 + 10 + 20);
  });

  test('missing, truncated and corrupt files are all reported at once', async () => {
    const { dir } = makeModelDir();
    writeFileSync(join(dir, 'tokenizer.json'), '{"model"');
    writeFileSync(join(dir, 'onnx/model_q4.onnx'), 'q4 weightZ');
    rmSync(join(dir, 'onnx/model.onnx'));
    const error = await checkModel({ modelDir: dir, dtypes: [], verify: true }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(BundleError);
    expect((error as Error).message).toContain('tokenizer.json: 8 bytes, the manifest says 12');
    expect((error as Error).message).toContain('onnx/model_q4.onnx: SHA-256 differs from the manifest');
    expect((error as Error).message).toContain('onnx/model.onnx: missing');
  });

  test('without verification a same-size corrupt file is not read, but a wrong size still fails', async () => {
    const { dir } = makeModelDir();
    writeFileSync(join(dir, 'onnx/model_q4.onnx'), 'q4 weightZ');
    await expect(checkModel({ modelDir: dir, dtypes: [], verify: false })).resolves.toBeTruthy();
    writeFileSync(join(dir, 'onnx/model_q4.onnx'), 'q4');
    await expect(checkModel({ modelDir: dir, dtypes: [], verify: false })).rejects.toThrow(/2 bytes, the manifest says 10/);
  });

  test('a directory without manifest.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afw-bundle-empty-'));
    await expect(checkModel({ modelDir: dir, dtypes: [], verify: true })).rejects.toThrow(/has no manifest.json/);
  });
});

test('copies the selected files, a manifest with only the selected dtypes, and an index listing the model', async () => {
  const { dir } = makeModelDir();
  const out = mkdtempSync(join(tmpdir(), 'afw-bundle-out-'));
  await copyModel(await checkModel({ modelDir: dir, dtypes: ['q4'], verify: true }), out);
  const target = join(out, 'models', 'tiny-test');
  expect(readFileSync(join(target, 'onnx/model_q4.onnx'), 'utf8')).toBe('q4 weights');
  expect(readFileSync(join(target, 'config.json'), 'utf8')).toBe('{"model_type":"llama"}');
  expect(existsSync(join(target, 'onnx/model.onnx'))).toBe(false);
  expect(Object.keys(JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8')).dtypes)).toEqual(['q4']);
  expect(JSON.parse(readFileSync(join(out, 'models', 'index.json'), 'utf8'))).toEqual({ models: [{ id: 'tiny-test', label: 'Tiny test' }] });
});

describe('output folder', () => {
  const project = mkdtempSync(join(tmpdir(), 'afw-project-'));

  test('the project, or a folder holding it, is refused', () => {
    expect(() => checkOutDir(project, project)).toThrow(/would replace the project itself/);
    expect(() => checkOutDir(join(project, '..'), project)).toThrow(/would replace the project itself/);
  });

  test('a new folder, an empty one, one inside the project, or an earlier bundle may be (re)written', () => {
    expect(() => checkOutDir(join(tmpdir(), 'afw-does-not-exist-yet'), project)).not.toThrow();
    expect(() => checkOutDir(mkdtempSync(join(tmpdir(), 'afw-empty-')), project)).not.toThrow();
    expect(() => checkOutDir(join(project, 'agent-flan-offline'), project)).not.toThrow();
    const earlier = mkdtempSync(join(tmpdir(), 'afw-earlier-'));
    writeFileSync(join(earlier, 'README.txt'), `${README_FIRST_LINE}\n...`);
    expect(() => checkOutDir(earlier, project)).not.toThrow();
  });

  test('a folder with other files is refused', () => {
    const other = mkdtempSync(join(tmpdir(), 'afw-other-'));
    writeFileSync(join(other, 'thesis.tex'), 'precious');
    expect(() => checkOutDir(other, project)).toThrow(/is not an offline bundle made by this command/);
  });
});
