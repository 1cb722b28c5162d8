import { describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** Paths that exist only on the developers' machines: the material folder beside the checkout, the workplace. */
const OUTSIDE = [/\.\.\/shared\b/, /\/work\/(?:shared|main|\.library|\.mirror)\b/];

describe('the repository stands alone', () => {
  test('no tracked code, test, script or config refers to a path outside the repository', () => {
    const files = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f && !f.endsWith('.md') && !f.startsWith('tests/fixtures/') && f !== 'tests/unit/repo-standalone.test.ts');
    expect(files.length).toBeGreaterThan(100);
    const hits: string[] = [];
    for (const file of files) {
      const lines = readFileSync(resolve(root, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (OUTSIDE.some((re) => re.test(line))) hits.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });

  test('the fixtures the tests read are tracked, with their origins and licenses', () => {
    const tracked = new Set(execFileSync('git', ['ls-files', 'tests/fixtures'], { cwd: root, encoding: 'utf8' }).split('\n'));
    for (const f of [
      'tests/fixtures/README.md',
      'tests/fixtures/hf-reference/tiny-llama-safetensors/model.safetensors',
      'tests/fixtures/hf-reference/tiny-llama-safetensors/tokenizer.model',
      'tests/fixtures/hf-reference/LICENSE-LLAMA2.txt',
      'tests/fixtures/agentbench/dbbench-dev.jsonl',
      'tests/fixtures/agentbench/os_interaction/data/dev.json',
      'tests/fixtures/agentbench/LICENSE-APACHE-2.0.txt',
    ]) expect(tracked.has(f), f).toBe(true);
    const readme = readFileSync(resolve(root, 'tests/fixtures/README.md'), 'utf8');
    expect(readme).toMatch(/Llama 2 Community License/);
    expect(readme).toMatch(/Apache-2\.0/);
  });
});
