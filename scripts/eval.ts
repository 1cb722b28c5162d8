/**
 * `npm run eval -- --suite held-in|held-out|agent-h|all --mode strict|lenient --engine local|tgi|openai|remote --out DIR
 *   [--limit N] [--max-new-tokens N] [--endpoint URL[,URL...]] [--concurrency N] [--api-key KEY]
 *   [--model-dir DIR] [--dtype q4|q4f16|fp32] [--temperature T] [--top-p P] [--seed S]`
 *
 * Runs the suite's episodes through the agent loop in Node: `local` is the converted ONNX model on
 * onnxruntime-node (default: the tiny test model in public/models), `tgi` / `openai` (or `remote`, with
 * `--protocol` or the protocol the first endpoint answers) a server, spread over the given endpoints with `--concurrency` episodes in flight on each.
 * Writes DIR/records/<row>--<task>.episode.jsonl as each episode ends, and DIR/summary.{json,csv} (the paper's
 * table with the reported figures beside ours) at the end; prints progress and the table. A rerun with the same
 * DIR skips the episodes whose records are there (resume after a kill).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { doneOf, parseRecord, RECORD_EXTENSION, serializeRecord, summarize, type RecordSummary } from '../src/lib/agent/record';
import { runSuite, type EngineSlot, type SuiteProgress } from '../src/lib/agent/eval/run-suite';
import { SUITES, suiteEpisodes, type RowId, type SuiteEpisode, type SuiteId } from '../src/lib/agent/eval/suites';
import { buildTable, tableCsv, tableText } from '../src/lib/agent/eval/table';
import { SAMPLING_DEFAULTS } from '../src/lib/engine/sampling-defaults';
import type { EpisodeMode } from '../src/lib/agent/protocols/types';
import { createRemoteEngine, REMOTE_KINDS, type RemoteKind } from '../src/lib/engine/remote/index';
import type { ModelDtype } from '../src/lib/engine/types';
import { loadEnvModule } from '../src/lib/tasks/registry';
import { NodeEngine } from './lib/node-engine';
import { useVmAssetsFromDisk, vmGuestOnDisk } from '../src/lib/runtimes/v86/assets-node';
import { MISSING_GUEST } from '../src/lib/runtimes/v86/assets';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    suite: { type: 'string', default: 'all' },
    mode: { type: 'string', default: 'strict' },
    engine: { type: 'string', default: 'local' },
    protocol: { type: 'string' },
    endpoint: { type: 'string' },
    concurrency: { type: 'string', default: '1' },
    'api-key': { type: 'string' },
    out: { type: 'string' },
    limit: { type: 'string' },
    'max-new-tokens': { type: 'string' },
    temperature: { type: 'string' },
    'top-p': { type: 'string' },
    seed: { type: 'string' },
    'model-dir': { type: 'string', default: join(root, 'public/models/tiny-random-agent-flan') },
    dtype: { type: 'string', default: 'q4' },
  },
});

function fail(message: string): never {
  console.error(`eval: ${message}`);
  process.exit(2);
}
const number = (name: string, value: string | undefined) => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) fail(`--${name} must be a number >= 0 (got "${value}")`);
  return n;
};

const suite = values.suite as SuiteId;
if (!SUITES.includes(suite)) fail(`--suite must be one of ${SUITES.join(', ')}`);
const mode = values.mode as EpisodeMode;
if (mode !== 'strict' && mode !== 'lenient') fail('--mode must be strict or lenient');
// `remote` without --protocol: the protocol the first endpoint answers.
let kind = values.engine === 'remote' ? (values.protocol ?? 'remote') : values.engine;
if (kind !== 'local' && kind !== 'remote' && !REMOTE_KINDS.includes(kind as RemoteKind)) fail('--engine must be local, tgi, openai, or remote (with --protocol tgi|openai, or found out from the server)');
if (!values.out) fail('--out DIR is required (records and the summary go there; a rerun resumes from it)');
const out = resolve(values.out);
const limit = number('limit', values.limit);
const concurrency = Math.max(1, Math.floor(number('concurrency', values.concurrency) ?? 1));
const sampling = {
  temperature: number('temperature', values.temperature) ?? SAMPLING_DEFAULTS.temperature,
  topP: number('top-p', values['top-p']) ?? SAMPLING_DEFAULTS.topP,
  maxNewTokens: number('max-new-tokens', values['max-new-tokens']) ?? SAMPLING_DEFAULTS.maxNewTokens,
  ...(values.seed !== undefined && { seed: number('seed', values.seed) }),
};

async function engineSlots(): Promise<EngineSlot[]> {
  if (kind === 'local') {
    const engine = new NodeEngine(values['model-dir']!, values.dtype as ModelDtype);
    const report = await engine.load();
    return [{ engine, contextLength: report.contextLength, model: { engine: 'local', id: report.modelId, dtype: report.dtype, device: 'cpu (onnxruntime-node)' } }];
  }
  const endpoints = (values.endpoint ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (endpoints.length === 0) fail(`--engine ${kind} needs --endpoint URL (several, comma-separated, for replicas)`);
  const protocol = kind === 'remote' ? await detectProtocol(endpoints[0]) : (kind as RemoteKind);
  kind = protocol;
  const slots: EngineSlot[] = [];
  for (const endpoint of endpoints) {
    for (let i = 0; i < concurrency; i++) {
      // One engine per slot: interrupting one episode must not abort another's request.
      const engine = createRemoteEngine(protocol, { endpoint, apiKey: values['api-key'] });
      const report = await engine.load().catch((e) => fail((e as Error).message));
      slots.push({ engine, contextLength: report.contextLength, model: { engine: protocol, id: report.modelId, device: endpoint } });
    }
  }
  return slots;
}

/** The first protocol whose description call (TGI `GET /info`, `GET /v1/models`) the server answers. */
async function detectProtocol(endpoint: string): Promise<RemoteKind> {
  const refusals: string[] = [];
  for (const protocol of REMOTE_KINDS) {
    try {
      await createRemoteEngine(protocol, { endpoint, apiKey: values['api-key'] }).test();
      return protocol;
    } catch (e) {
      refusals.push(`${protocol}: ${(e as Error).message}`);
    }
  }
  fail(`${endpoint} speaks neither protocol (name it with --protocol tgi|openai):\n  ${refusals.join('\n  ')}`);
}

/** The run's settings, kept in DIR/run.json: a rerun must continue the same evaluation, not mix two. */
function checkRun(model: string) {
  const file = join(out, 'run.json');
  const run = { suite, mode, engine: kind, model, limit: limit ?? null, sampling };
  if (existsSync(file)) {
    const before = JSON.parse(readFileSync(file, 'utf8'));
    for (const key of ['mode', 'engine', 'model'] as const) {
      if (before[key] !== run[key]) fail(`${out} holds a run with ${key} "${before[key]}", not "${run[key]}": use another --out, or remove it`);
    }
  }
  writeFileSync(file, JSON.stringify(run, null, 2) + '\n');
}

function finishedRecords(episodes: SuiteEpisode[]): Map<string, RecordSummary> {
  const dir = join(out, 'records');
  const found = new Map<string, RecordSummary>();
  if (!existsSync(dir)) return found;
  const keys = new Set(episodes.map((e) => e.key));
  for (const name of readdirSync(dir)) {
    const key = name.slice(0, -RECORD_EXTENSION.length);
    if (!name.endsWith(RECORD_EXTENSION) || !keys.has(key)) continue;
    try {
      const record = parseRecord(readFileSync(join(dir, name), 'utf8'));
      if (doneOf(record)) found.set(key, summarize(record));
    } catch {
      // A torn or foreign file: the episode runs again and overwrites it.
    }
  }
  return found;
}

function formatMs(ms: number | null): string {
  if (ms === null) return '?';
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function progressLine(p: SuiteProgress): string {
  const width = 24;
  const filled = p.total ? Math.round((p.done / p.total) * width) : width;
  const rate = p.done ? ((p.successes / p.done) * 100).toFixed(0) : '0';
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} episodes, ${p.successes} succeeded (${rate}%), ETA ${formatMs(p.etaMs)}${p.resumed ? `, ${p.resumed} resumed` : ''}`;
}

const slots = await engineSlots();
const model = slots[0].model.id;
mkdirSync(join(out, 'records'), { recursive: true });
checkRun(model);
useVmAssetsFromDisk();
const planned = await suiteEpisodes(suite, limit);
// The OS row runs on the Linux guest; without it the other rows still run, and the table shows the OS row empty.
const episodes = vmGuestOnDisk() ? planned : planned.filter((e) => e.env !== 'os');
if (episodes.length < planned.length) console.log(`eval: the OS row is skipped. ${MISSING_GUEST}`);
const finished = finishedRecords(episodes);
const results = new Map(finished);
const tty = process.stdout.isTTY;
console.log(`eval: ${episodes.length} episodes (${suite}, ${mode}) on ${kind} ${model}${slots.length > 1 ? ` over ${slots.length} slots` : ''}; ${finished.size} already in ${out}`);

const rowOf = new Map(episodes.map((e) => [e.key, e.row]));
const table = () =>
  buildTable(
    suite,
    { mode, model },
    [...results].map(([key, summary]) => ({ row: rowOf.get(key)!, summary })),
    episodes.reduce<Partial<Record<RowId, number>>>((acc, e) => ({ ...acc, [e.row]: (acc[e.row] ?? 0) + 1 }), {}),
  );

let failure: Error | undefined;
try {
  await runSuite({
    episodes,
    finished,
    slots,
    mode,
    sampling,
    createEnv: async (id) => {
      const module = await loadEnvModule(id);
      return { env: await module.create(), protocolId: module.protocolId };
    },
    onRecord: async (episode, record) => {
      const file = join(out, 'records', `${episode.key}${RECORD_EXTENSION}`);
      // Written whole, then renamed: a kill mid-write leaves no torn record to resume from.
      writeFileSync(`${file}.tmp`, serializeRecord(record));
      renameSync(`${file}.tmp`, file);
      results.set(episode.key, summarize(record));
    },
    onProgress: (p) => (tty ? process.stdout.write(`\r${progressLine(p)}`) : console.log(progressLine(p))),
  });
} catch (e) {
  failure = e as Error;
}
if (tty) process.stdout.write('\n');
const summary = table();
writeFileSync(join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
writeFileSync(join(out, 'summary.csv'), tableCsv(summary));
console.log(tableText(summary));
console.log(`eval: records in ${join(out, 'records')}, table in ${join(out, 'summary.json')} and summary.csv`);
for (const slot of slots) await slot.engine.unload();
if (failure) {
  console.error(`eval: ${failure.message}`);
  process.exit(1);
}
