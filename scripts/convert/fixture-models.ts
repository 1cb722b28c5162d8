/**
 * The project's test models, converted from the repository's fixtures (tests/fixtures/) into public/models/, skipped when up to date
 * (same inputs, same converter sources, same options).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelIndex, ModelManifest } from '../../src/lib/models/manifest.ts';
import type { ConvertOptions } from './convert.ts';
import { convertCheckpoint } from './convert.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The repository's own test and demo fixtures (origins and licenses: tests/fixtures/README.md). */
export const FIXTURES_DIR = join(REPO_ROOT, 'tests', 'fixtures');

/** The tiny random-weight Llama checkpoint with its PyTorch reference logits and the Llama-2 tokenizer. */
export const TINY_LLAMA_DIR = join(FIXTURES_DIR, 'hf-reference', 'tiny-llama-safetensors');

export interface FixtureModel {
  id: string;
  label: string;
  /** Relative to tests/fixtures/. */
  source: string;
  options: Pick<ConvertOptions, 'dtypes' | 'chatTemplate'>;
}

export const FIXTURE_MODELS: FixtureModel[] = [
  {
    id: 'tiny-random-agent-flan',
    label: 'Tiny random Agent-FLAN (test model)',
    source: 'hf-reference/tiny-llama-safetensors',
    options: { dtypes: ['q4f16', 'q4', 'fp32'], chatTemplate: 'agent-flan' },
  },
];

const STAMP = '.convert-stamp';

/** A hash of what a conversion's output depends on besides its inputs: the converter's sources and the chat templates. */
export function converterStamp(): string {
  const h = createHash('sha256');
  const convertDir = join(REPO_ROOT, 'scripts', 'convert');
  for (const name of readdirSync(convertDir).sort()) if (name.endsWith('.ts')) h.update(readFileSync(join(convertDir, name)));
  for (const file of ['src/lib/agent/chat-template.ts', 'src/lib/agent/template.ts']) h.update(readFileSync(join(REPO_ROOT, file)));
  return h.digest('hex');
}

function stampFor(model: FixtureModel, srcDir: string): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(model));
  for (const name of readdirSync(srcDir).sort()) {
    const s = statSync(join(srcDir, name));
    h.update(`${name}:${s.size}:${s.mtimeMs}\n`);
  }
  h.update(converterStamp());
  return h.digest('hex');
}

/** Converts every fixture model that is missing or stale; returns the ids converted. */
export async function ensureFixtureModels(modelsDir = join(REPO_ROOT, 'public', 'models'), log: (l: string) => void = () => {}): Promise<string[]> {
  const converted: string[] = [];
  for (const model of FIXTURE_MODELS) {
    const src = join(FIXTURES_DIR, model.source);
    const out = join(modelsDir, model.id);
    const stamp = stampFor(model, src);
    const stampFile = join(out, STAMP);
    if (existsSync(join(out, 'manifest.json')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
      log(`${model.id}: up to date`);
      continue;
    }
    log(`${model.id}: converting ${src}`);
    await convertCheckpoint({ checkpointDir: src, outDir: out, id: model.id, label: model.label, ...model.options });
    writeFileSync(stampFile, stamp);
    converted.push(model.id);
  }
  writeModelIndex(modelsDir);
  return converted;
}

/** index.json lists every model directory under modelsDir that has a manifest. */
export function writeModelIndex(modelsDir: string): ModelIndex {
  const models: ModelIndex['models'] = [];
  for (const name of readdirSync(modelsDir).sort()) {
    const manifestPath = join(modelsDir, name, 'manifest.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ModelManifest;
    models.push({ id: manifest.id, label: manifest.label });
  }
  const index: ModelIndex = { models };
  const text = JSON.stringify(index, null, 2) + '\n';
  const file = join(modelsDir, 'index.json');
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
  return index;
}
