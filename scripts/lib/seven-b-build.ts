/**
 * The Agent-FLAN-7B-shaped q4 build (random weights, fused graph) kept under the git-ignored `.cache/bench-7b/`,
 * built from a checkpoint written by seven-b-checkpoint.ts (deleted after conversion: 13.5 GB), and again when
 * the converter has changed since (a stamp of its sources).
 * `npm run bench:7b-browser` serves it; rebuilding takes ~10 min on a 2-core machine.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { convertCheckpoint } from '../convert/convert.ts';
import { converterStamp } from '../convert/fixture-models.ts';
import { writeSevenBWidthCheckpoint } from './seven-b-checkpoint.ts';

export const SEVEN_B_CACHE = resolve('.cache/bench-7b');
export const SEVEN_B_ID = 'agent-flan-7b-random';

/** Returns the model directory (containing manifest.json), building it first when absent or stale. */
export async function ensureSevenBBuild(log: (line: string) => void = console.log, layers = 32): Promise<string> {
  const id = layers === 32 ? SEVEN_B_ID : `${SEVEN_B_ID}-${layers}l`;
  const out = join(SEVEN_B_CACHE, id);
  const stampFile = join(SEVEN_B_CACHE, `${id}.convert-stamp`);
  const stamp = converterStamp();
  if (existsSync(join(out, 'manifest.json')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return out;
  const src = join(SEVEN_B_CACHE, `checkpoint-${layers}l`);
  rmSync(src, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  try {
    let t = Date.now();
    const bytes = writeSevenBWidthCheckpoint(src, { layers });
    log(`build: ${layers}-layer checkpoint, ${(bytes / 1e9).toFixed(2)} GB bf16, written in ${((Date.now() - t) / 1000).toFixed(0)} s`);
    t = Date.now();
    await convertCheckpoint({ checkpointDir: src, outDir: out, dtypes: ['q4'], chatTemplate: 'agent-flan', id, label: 'Agent-FLAN-7B shape (random weights)' });
    log(`build: converted to q4 in ${((Date.now() - t) / 1000).toFixed(0)} s -> ${out}`);
    writeFileSync(stampFile, stamp);
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
  return out;
}
