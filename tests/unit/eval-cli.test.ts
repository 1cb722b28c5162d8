/**
 * `npm run eval -- --suite all` on the tiny test model (onnxruntime-node): killed midway, then run again on the same
 * folder, it skips the episodes already recorded, completes, prints the paper's table and writes it as JSON and CSV.
 * `--engine remote` does the same against two TGI test servers in this process (the tiny model behind them), with
 * the episodes spread over both and no more requests open on one than `--concurrency`.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseRecord } from '../../src/lib/agent/record';
import { NodeEngine } from '../../scripts/lib/node-engine';
import { startModelServer } from '../support/model-servers';

const root = resolve(import.meta.dirname, '../..');
/** The OS row runs on the Linux guest; without it (`npm run build:guest`) the eval skips that row and says so. */
const guest = existsSync(join(root, 'public/vm/manifest.json'));
const total = guest ? 8 : 7;
const ARGS = ['--suite', 'all', '--mode', 'strict', '--engine', 'local', '--limit', '1', '--max-new-tokens', '4', '--temperature', '0'];

function run(out: string, killAfterRecords?: number, args = ARGS): Promise<{ code: number | null; stdout: string }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/eval.ts', ...args, '--out', out], { cwd: root });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      const records = join(out, 'records');
      if (killAfterRecords && existsSync(records) && readdirSync(records).filter((f) => f.endsWith('.jsonl')).length >= killAfterRecords) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout }));
  });
}

describe('npm run eval', () => {
  it('resumes after a kill, completes the suite, prints and writes the table', async () => {
    const out = mkdtempSync(join(tmpdir(), 'eval-'));
    const first = await run(out, 2);
    expect(first.code).not.toBe(0);
    const kept = readdirSync(join(out, 'records')).filter((f) => f.endsWith('.episode.jsonl'));
    expect(kept.length).toBeGreaterThanOrEqual(2);
    expect(kept.length).toBeLessThan(total);

    const second = await run(out);
    expect(second.code, second.stdout).toBe(0);
    expect(second.stdout).toContain(`${kept.length} already in`);
    expect(second.stdout).toContain(`${total}/${total} episodes`);
    if (!guest) expect(second.stdout).toMatch(/the OS row is skipped\. The Linux guest for the OS tasks is not built/);
    const records = readdirSync(join(out, 'records')).filter((f) => f.endsWith('.episode.jsonl'));
    expect(records).toHaveLength(total);
    for (const f of records) expect(parseRecord(readFileSync(join(out, 'records', f), 'utf8')).at(-1)?.type).toBe('done');

    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.rows.map((r: { row: string }) => r.row)).toEqual(['os', 'db', 'kg', 'household', 'shop', 'held-in', 'wiki', 'tools', 'agent-h']);
    for (const r of summary.rows) expect(r.episodes, r.row).toBe(r.row === 'held-in' ? total - 3 : r.row === 'os' && !guest ? 0 : 1);
    expect(summary.rows.find((r: { row: string }) => r.row === 'agent-h').reported['Agent-FLAN-7B']).toBe(89.1);
    expect(summary.reportedSource).toMatch(/2403\.12881/);
    const csv = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(10);
    expect(csv[0]).toContain('Agent-FLAN-7B (reported)');
    for (const label of ['OS (AgentBench)', 'Wiki (HotpotQA, EM)', 'Agent-H (no tool call)']) expect(second.stdout).toContain(label);
    expect(second.stdout).toMatch(/reported, not re-measured/);
  }, 600_000);
});

describe('npm run eval -- --engine remote', () => {
  it('spreads the episodes over two endpoints with bounded concurrency, and resumes after a kill', async () => {
    const model = new NodeEngine(resolve(root, 'public/models/tiny-random-agent-flan'));
    await model.load();
    const servers = await Promise.all([0, 1].map(() => startModelServer({ protocol: 'tgi', engine: model })));
    try {
      const args = ['--suite', 'agent-h', '--limit', '8', '--engine', 'remote', '--endpoint', servers.map((s) => s.url).join(','), '--concurrency', '2', '--max-new-tokens', '4', '--temperature', '0'];
      const out = mkdtempSync(join(tmpdir(), 'eval-remote-'));
      const first = await run(out, 2, args);
      expect(first.code).not.toBe(0);
      expect(first.stdout).toMatch(/on tgi tiny-random-agent-flan over 4 slots/);
      const kept = readdirSync(join(out, 'records')).filter((f) => f.endsWith('.episode.jsonl'));
      expect(kept.length).toBeGreaterThanOrEqual(2);
      expect(kept.length).toBeLessThan(8);

      const second = await run(out, undefined, args);
      expect(second.code, second.stdout).toBe(0);
      expect(second.stdout).toContain(`${kept.length} already in`);
      expect(second.stdout).toMatch(/8\/8 episodes/);
      const records = readdirSync(join(out, 'records')).filter((f) => f.endsWith('.episode.jsonl'));
      expect(records).toHaveLength(8);
      const devices = records.map((f) => {
        const start = parseRecord(readFileSync(join(out, 'records', f), 'utf8'))[0];
        return start.type === 'start' ? start.model.device : '';
      });
      expect(new Set(devices)).toEqual(new Set(servers.map((s) => s.url)));
      for (const s of servers) {
        expect(s.log.some((l) => l.path === '/generate_stream' && l.status === 200)).toBe(true);
        expect(s.maxInFlight).toBeLessThanOrEqual(2);
      }
      expect(Math.max(...servers.map((s) => s.maxInFlight))).toBe(2);
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      expect(summary.rows.find((r: { row: string }) => r.row === 'agent-h').episodes).toBe(8);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await model.unload();
    }
  }, 600_000);
});
